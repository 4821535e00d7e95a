from django.db import migrations

from trappen.rules.loading import load_legal_bases


def forwards(apps, schema_editor):
    load_legal_bases(apps.get_model("rules", "LegalBasis"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_legal_basis")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
