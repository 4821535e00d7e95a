from django.db import migrations

from trappen.catalogue.loading import load_interventions, load_steps


def forwards(apps, schema_editor):
    load_steps(apps.get_model("catalogue", "Step"))
    load_interventions(
        apps.get_model("catalogue", "Step"), apps.get_model("catalogue", "Intervention")
    )


class Migration(migrations.Migration):
    """F7: the steps' and offers' sources (and the descriptions that quoted them) cite the
    publication by its title, never a file of the project's working notes ("seed 003")."""

    dependencies = [("catalogue", "0007_classification_fixes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
