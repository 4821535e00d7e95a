from collections.abc import Callable
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.core import deadlines, legal


class DeadlineRule(models.Model):
    """A deadline the law or local practice sets, with its source and validity (rules are data)."""

    class Key(models.TextChoices):
        NOTIFICATION_ASSESSMENT = "notification_assessment", _("Assessment of a notification")
        CHILD_INVESTIGATION = "child_investigation", _("Child investigation")
        CHILD_PLAN = "child_plan", _("The child's plan")
        NOTIFIER_RECEIPT = "notifier_receipt", _("Receipt to a professional notifier")

    key = models.CharField(_("rule"), max_length=40, choices=Key.choices)
    amount = models.PositiveIntegerField(_("amount"))
    UNIT_CHOICES = [
        (deadlines.Unit.HOURS.value, _("hours")),
        (deadlines.Unit.DAYS.value, _("days")),
        (deadlines.Unit.WEEKS.value, _("weeks")),
        (deadlines.Unit.MONTHS.value, _("months")),
        (deadlines.Unit.WORKING_DAYS.value, _("working days")),
    ]
    unit = models.CharField(_("unit"), max_length=10, choices=UNIT_CHOICES)
    source = models.CharField(_("source"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["key", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="deadline_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.amount} {self.unit} ({self.source})"

    def as_core(self) -> deadlines.DeadlineRule:
        return deadlines.DeadlineRule(
            self.key, self.amount, deadlines.Unit(self.unit), self.valid_from, self.valid_to
        )


def deadline_for(key: str, start: datetime) -> datetime:
    rules = [r.as_core() for r in DeadlineRule.objects.filter(key=key)]
    return deadlines.deadline(rules, key, start)


def date_deadline_for(key: str, start: date) -> date:
    return deadline_for(key, datetime(start.year, start.month, start.day)).date()


def date_deadlines_for(key: str) -> Callable[[date], date]:
    """`date_deadline_for(key, start)` for many starts, the key's rules read once."""
    rules = [r.as_core() for r in DeadlineRule.objects.filter(key=key)]

    def due(start: date) -> date:
        return deadlines.deadline(rules, key, datetime(start.year, start.month, start.day)).date()

    return due


class LegalBasis(models.Model):
    """A paragraph a kind of decision rests on, with its law, source and validity (data)."""

    class Concept(models.TextChoices):
        # The offers' concepts (less "none") and the case-flow decisions, from core.legal.
        EARLY_PREVENTION = legal.LegalConcept.EARLY_PREVENTION.value, _("Early prevention")
        SUPPORTING_MEASURE = legal.LegalConcept.SUPPORTING_MEASURE.value, _("Supporting measure")
        URGENT_MEASURE = legal.LegalConcept.URGENT_MEASURE.value, _("Urgent measure")
        FINANCIAL_SUPPORT = legal.LegalConcept.FINANCIAL_SUPPORT.value, _("Financial support")
        PLACEMENT = legal.LegalConcept.PLACEMENT.value, _("Placement outside the home")
        AFTERCARE = (
            legal.LegalConcept.AFTERCARE.value,
            _("Support for 18-22-year-olds (aftercare)"),
        )
        CHILD_INVESTIGATION = legal.CaseDecision.CHILD_INVESTIGATION.value, _("Child investigation")
        CHILD_PLAN = legal.CaseDecision.CHILD_PLAN.value, _("Action plan (the child's plan)")
        FOLLOW_UP = legal.CaseDecision.FOLLOW_UP.value, _("Follow-up on measures")
        NOTIFICATION = legal.CaseDecision.NOTIFICATION.value, _("Notifications")

    class Law(models.TextChoices):
        SERVICELOVEN = "Serviceloven", "Serviceloven"
        BARNETS_LOV = "Barnets Lov", "Barnets Lov"

    concept = models.CharField(_("kind of decision"), max_length=30, choices=Concept.choices)
    law = models.CharField(_("law"), max_length=30, choices=Law.choices)
    paragraph = models.CharField(_("paragraph"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    primary = models.BooleanField(
        _("main paragraph"),
        default=True,
        help_text=_(
            "The paragraph a decision of this kind is recorded under when nothing more "
            "specific is known. Keep one main paragraph per kind on any date."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["concept", "valid_from", "-primary", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "law", "paragraph", "valid_from"], name="legal_basis_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="legal_basis_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law} {self.paragraph}"

    @property
    def full_title(self) -> str:
        return f"{self.law} {self.paragraph} – {self.title}"

    def as_core(self) -> legal.LegalBasis:
        return legal.LegalBasis(
            self.concept, self.law, self.paragraph, self.valid_from, self.valid_to, self.primary
        )


def legal_basis_for(concept: str, on: date) -> LegalBasis | None:
    """The basis in force on `on` for a kind of decision; None when the data has none."""
    rows = {r.as_core(): r for r in LegalBasis.objects.filter(concept=concept)}
    try:
        return rows[legal.basis_in_force(rows, concept, on)]
    except legal.NoBasisInForce:
        return None
