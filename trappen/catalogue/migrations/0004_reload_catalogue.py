from django.db import migrations

from trappen.catalogue.loading import load_interventions, load_steps


def forwards(apps, schema_editor):
    step = apps.get_model("catalogue", "Step")
    load_steps(step)
    load_interventions(step, apps.get_model("catalogue", "Intervention"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_cadence_and_legal_concept")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
