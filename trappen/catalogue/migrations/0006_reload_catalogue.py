from django.db import migrations

from trappen.catalogue.loading import load_interventions, load_steps


def forwards(apps, schema_editor):
    step = apps.get_model("catalogue", "Step")
    load_steps(step)
    load_interventions(step, apps.get_model("catalogue", "Intervention"))


class Migration(migrations.Migration):
    """The full Herning catalogue (every numbered offer of seed 003) with target ages."""

    dependencies = [("catalogue", "0005_target_ages")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
