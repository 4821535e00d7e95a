from django.db import migrations

from trappen.followups.loading import load_cadence


def forwards(apps, schema_editor):
    load_cadence(
        apps.get_model("followups", "CadenceRuleSet"), apps.get_model("followups", "CadenceRule")
    )


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
