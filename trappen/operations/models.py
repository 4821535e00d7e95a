"""Who wants reminders by e-mail, and which were sent (so a rerun sends nothing twice)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderChoice(models.Model):
    """A user's opt-in: reminders are off until the user turns them on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    daily_digest = models.BooleanField(_("daily digest of my deadlines"), default=False)
    assessment_alerts = models.BooleanField(
        _("alert when a 24-hour assessment is about to be missed (team leaders)"), default=False
    )

    class Meta:
        verbose_name = _("reminder choice")


class ReminderSent(models.Model):
    """One reminder sent: the digest of a day, the alert for one notification's deadline, or
    the in-app notice of one missed deadline."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("daily digest")
        ASSESSMENT_ALERT = "assessment_alert", _("assessment alert")
        NOTICE = "notice", _("deadline notice")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=64)  # the day, or the notification's id
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="reminder_sent_once")
        ]
