from django.db import migrations

from trappen.rules.loading import load_deadlines, load_legal_bases


def reload_rules(apps, schema_editor):
    """F8, the notification paragraphs checked again: the citizens' duty to notify is § 135
    (§ 137, stk. 2 names the duties '§§ 132, 133 og 135'), the receipt is read as § 138; the
    rows of §§ 133, 136-138 name their sources. The rows are added or updated, none removed."""
    load_legal_bases(apps.get_model("rules", "LegalBasis"))
    load_deadlines(apps.get_model("rules", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0005_deadline_keys_plan_receipt")]
    operations = [migrations.RunPython(reload_rules, migrations.RunPython.noop)]
