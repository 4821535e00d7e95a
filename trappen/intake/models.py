from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, Child
from trappen.core import intake as intake_rules
from trappen.core import notifiers


class Notification(models.Model):
    """An underretning: a concern about a child, assessed within 24 hours, then routed."""

    class Source(models.TextChoices):
        """Who notified: the keys of core/data/notifiers.json (which says who is a
        professional with the duty of Barnets Lov § 133, and the legal basis of each)."""

        SCHOOL = "school", _("School")
        DAY_CARE = "day_care", _("Day-care")
        HEALTH_VISITOR = "health_visitor", _("Health visitor")
        PPR = "ppr", _("PPR (psychologist)")
        POLICE = "police", _("Police")
        HOSPITAL = "hospital", _("Hospital or doctor")
        PARENT = "parent", _("Parent")
        RELATIVE = "relative", _("Relative or network")
        CHILD = "child", _("The child or young person")
        ANONYMOUS = "anonymous", _("Anonymous")
        OTHER = "other", _("Other")

    class Kind(models.TextChoices):
        """What came in (core/data/notifiers.json request_kinds, with the legal basis)."""

        NOTIFICATION = "notification", _("Notification")
        INQUIRY = "inquiry", _("Inquiry")
        NETWORK_MEETING = "network_meeting", _("Request for a network meeting")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="notifications")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    received_at = models.DateTimeField(_("received"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTIFICATION
    )
    source = models.CharField(_("notifier"), max_length=20, choices=Source.choices)
    # The notifier (F8 point 4): empty for an anonymous one. A professional names their real
    # organisation (organisation.Organisation); others, or a police station or a hospital
    # without a row, name it in words.
    notifier_name = models.CharField(_("notifier's name"), max_length=120, blank=True)
    notifier_role = models.CharField(_("notifier's role"), max_length=100, blank=True)
    notifier_organisation = models.ForeignKey(
        "organisation.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("notifier's organisation"),
    )
    notifier_organisation_name = models.CharField(
        _("notifier's organisation (in words)"), max_length=120, blank=True
    )
    notifier_phone = models.CharField(_("notifier's phone"), max_length=30, blank=True)
    notifier_email = models.EmailField(_("notifier's e-mail"), blank=True)
    content = models.TextField(_("content"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    # Who the 24-hour assessment is offered to: the caseworker on duty (vagt) in the child's
    # team when it came in (DutyShift); None when the roster had nobody then.
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered to (on duty)"),
    )
    # Fixed from the rule in force when received, so a later rule change does not move it.
    assessment_deadline = models.DateTimeField(_("assessment deadline"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True)
    urgent_action = models.BooleanField(_("urgent action needed"), null=True)
    assessment_note = models.TextField(_("assessment note"), blank=True)
    # "Ja, akut" (F10 point 6 b): the case is flagged *Akut* until someone of the team records
    # that the urgent action is carried out, and what was done.
    urgent_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    urgent_handled_at = models.DateTimeField(_("urgent action carried out"), null=True, blank=True)
    urgent_handled_note = models.TextField(_("what was done"), blank=True)
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
    # The receipt to a professional notifier (6 working days; core/data/deadlines.json).
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
    def urgent_open(self) -> bool:
        """The assessment said urgent and nobody has recorded the urgent action as done yet
        (`URGENT_OPEN` is the same rule in SQL)."""
        return bool(self.urgent_action) and self.urgent_handled_at is None

    @property
    def awaits_assignment(self) -> bool:
        return self.case_id is None

    @property
    def from_professional(self) -> bool:
        """A notifier in public service (Barnets Lov § 133: school, day-care, health visitor,
        PPR, police, hospital or doctor), who gets a receipt (core/data/notifiers.json)."""
        return notifiers.is_professional(self.source)

    @property
    def is_anonymous(self) -> bool:
        return self.source == self.Source.ANONYMOUS

    @property
    def reference(self) -> str:
        """The notifier's reference number, e.g. U-2026-000123 (trappen.core.intake)."""
        prefix = notifiers.request_kinds()[self.kind].prefix
        return intake_rules.reference(prefix, timezone.localtime(self.received_at).year, self.pk)

    @property
    def organisation_label(self) -> str:
        if self.notifier_organisation_id:
            return str(self.notifier_organisation)
        return self.notifier_organisation_name

    @property
    def request_legal_basis(self) -> str | None:
        return notifiers.request_kinds()[self.kind].legal_basis

    @property
    def notifier_legal_basis(self) -> str | None:
        kind = notifiers.notifier_kinds().get(self.source)
        return kind.legal_basis if kind else None


class DutyShift(models.Model):
    """A shift on the team's duty roster (vagt): the caseworker who takes the 24-hour
    assessment (Barnets Lov § 136) of what comes in between start and end."""

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="duty_shifts"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("caseworker on duty"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["team", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.caseworker} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


# The urgent path's flag on a case (F10 point 6 b): a case is *Akut* while a notification of
# it was assessed "Ja, akut" and the urgent action is not yet recorded as carried out
# (`Notification.urgent_open` is the same rule for the rows a page has read).
URGENT_OPEN = Q(urgent_action=True, urgent_handled_at__isnull=True)


def with_urgent_flag(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` annotated `urgent`: one EXISTS in the list's own query, no query per row."""
    return cases.annotate(
        urgent=Exists(Notification.objects.filter(URGENT_OPEN, case=OuterRef("pk")))
    )
