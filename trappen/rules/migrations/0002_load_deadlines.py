from django.db import migrations

from trappen.rules.loading import load_deadlines


def forwards(apps, schema_editor):
    load_deadlines(apps.get_model("rules", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
