# The steering's limits (F6 point 9): the slots of the evaluations that may run at once.

from django.db import migrations, models


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
    ]
