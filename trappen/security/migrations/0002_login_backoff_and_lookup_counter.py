"""The login lock becomes a back-off per username, per address and per pair (F6). The old
counters are throttle state only: they are dropped, not converted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name="LoginThrottle"),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("pair", "username from one address"),
                            ("username", "username from every address"),
                            ("address", "address, every username"),
                        ],
                        max_length=10,
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
                ("username_key", models.CharField(blank=True, db_index=True, max_length=64)),
                ("address", models.GenericIPAddressField(blank=True, null=True)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("last_failure_at", models.DateTimeField(blank=True, null=True)),
                ("blocked_until", models.DateTimeField(blank=True, null=True)),
                ("known_until", models.DateTimeField(blank=True, null=True)),
                (
                    "window_started_at",
                    models.DateTimeField(blank=True, db_index=True, null=True),
                ),
                ("window_failures", models.PositiveIntegerField(default=0)),
                ("reported_failures", models.PositiveIntegerField(default=0)),
                (
                    "account",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "login throttle",
                "verbose_name_plural": "login throttles",
            },
        ),
        migrations.CreateModel(
            name="LookupCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=100)),
                ("window_start", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "lookup counter",
                "verbose_name_plural": "lookup counters",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "window_start"), name="lookup_counter_window"
                    )
                ],
            },
        ),
    ]
