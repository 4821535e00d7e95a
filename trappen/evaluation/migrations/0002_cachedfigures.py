from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CachedFigures",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=100, primary_key=True, serialize=False, verbose_name="key"
                    ),
                ),
                ("value", models.BinaryField(verbose_name="value")),
                ("signature", models.CharField(max_length=64, verbose_name="signature")),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="expires at")),
            ],
            options={
                "verbose_name": "cached figures",
                "verbose_name_plural": "cached figures",
            },
        ),
    ]
