import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="ReminderChoice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("daily_digest", models.BooleanField(default=False, verbose_name="daily digest of my deadlines")),
                ("assessment_alerts", models.BooleanField(default=False, verbose_name="alert when a 24-hour assessment is about to be missed (team leaders)")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "reminder choice"},
        ),
        migrations.CreateModel(
            name="ReminderSent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("digest", "daily digest"), ("assessment_alert", "assessment alert"), ("notice", "deadline notice")], max_length=20)),
                ("key", models.CharField(max_length=64)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddConstraint(
            model_name="remindersent",
            constraint=models.UniqueConstraint(fields=("user", "kind", "key"), name="reminder_sent_once"),
        ),
    ]
