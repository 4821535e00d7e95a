"""Calendar feeds keep only the SHA-256 of their token, bound to the account (F6).

The plain tokens stored until now were also written to the server log with every fetch, so
they are not carried over: every existing address stops, and its owner makes a new one on the
follow-ups page.
"""

from django.db import migrations, models


def forget_plain_tokens(apps, schema_editor):
    apps.get_model("followups", "CalendarFeed").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0003_followup_external_id"),
    ]

    operations = [
        migrations.RunPython(forget_plain_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(default="", max_length=64, unique=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="account_stamp",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
    ]
