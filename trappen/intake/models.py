from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, Child


class Notification(models.Model):
    """An underretning: a concern about a child, assessed within 24 hours, then routed."""

    class Source(models.TextChoices):
        SCHOOL = "school", _("School")
        DAY_CARE = "day_care", _("Day-care")
        HEALTH = "health", _("Health service")
        POLICE = "police", _("Police")
        PARENT = "parent", _("Parent")
        ANONYMOUS = "anonymous", _("Anonymous")
        OTHER = "other", _("Other")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="notifications")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    received_at = models.DateTimeField(_("received"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    content = models.TextField(_("content"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    # Fixed from the rule in force when received, so a later rule change does not move it.
    assessment_deadline = models.DateTimeField(_("assessment deadline"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True)
    urgent_action = models.BooleanField(_("urgent action needed"), null=True)
    assessment_note = models.TextField(_("assessment note"), blank=True)
    # The district the sender named (the registration form's or the school's), kept beside the
    # child's own district: for an unconfirmed child the two may differ (docs/case-flow.md).
    stated_district = models.ForeignKey(
        "organisation.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district named by the sender"),
    )
    # A child first known from a school or day-care contact's concern took the sender's word
    # for name and district: it is unconfirmed until its team leader confirms them, and every
    # notification of it says so until then (trappen.intake.services.confirm_child).
    child_unconfirmed = models.BooleanField(_("child not confirmed"), default=False)
    child_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child_confirmed_at = models.DateTimeField(_("child confirmed"), null=True, blank=True)
    # Barnets Lov § 137, stk. 1: a notification about a child with a § 32 support or a
    # placement is reassessed with someone who has not taken part in the case before.
    reassessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reassessed_at = models.DateTimeField(_("reassessed"), null=True, blank=True)
    reassessment_note = models.TextField(_("reassessment"), blank=True)
    # The receipt to a professional notifier (6 working days; rules/data/deadlines.json).
    receipt_sent_on = models.DateField(_("receipt sent"), null=True, blank=True)
    receipt_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["assessed_at", "assessment_deadline"]),
            models.Index(fields=["case"]),
        ]

    def __str__(self) -> str:
        return _("Notification of %(date)s") % {
            "date": timezone.localtime(self.received_at).strftime("%d.%m.%Y %H:%M")
        }

    @property
    def is_assessed(self) -> bool:
        return self.assessed_at is not None

    def is_overdue(self, now: datetime | None = None) -> bool:
        return not self.is_assessed and (now or timezone.now()) > self.assessment_deadline

    @property
    def awaits_assignment(self) -> bool:
        return self.case_id is None

    @property
    def from_professional(self) -> bool:
        """A notifier in public service (school, day-care, health service, police), who gets
        a receipt."""
        return self.source in PROFESSIONAL_SOURCES


# The sources whose notifiers serve in a public office and get a receipt.
PROFESSIONAL_SOURCES = frozenset(
    {
        Notification.Source.SCHOOL,
        Notification.Source.DAY_CARE,
        Notification.Source.HEALTH,
        Notification.Source.POLICE,
    }
)
