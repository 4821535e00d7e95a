# The steering's limits (F6 point 9): the slots of the evaluations that may run at once, and the
# table of the shared cache its figures are kept in (settings.CACHES["steering"]).

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # `createcachetable` makes the table of every database cache that is missing one (here the
    # steering's), so `trappen migrate` is all a new installation needs.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="EvaluationSlot",
            fields=[
                (
                    "number",
                    models.PositiveSmallIntegerField(
                        primary_key=True, serialize=False, verbose_name="number"
                    ),
                ),
                ("token", models.CharField(blank=True, max_length=32, verbose_name="holder")),
                (
                    "lease_until",
                    models.DateTimeField(blank=True, null=True, verbose_name="held until"),
                ),
            ],
            options={
                "verbose_name": "evaluation slot",
                "verbose_name_plural": "evaluation slots",
            },
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]
