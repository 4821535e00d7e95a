from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.core import deadlines


class DeadlineRule(models.Model):
    """A deadline the law or local practice sets, with its source and validity (rules are data)."""

    class Key(models.TextChoices):
        NOTIFICATION_ASSESSMENT = "notification_assessment", _("Assessment of a notification")
        CHILD_INVESTIGATION = "child_investigation", _("Child investigation")

    key = models.CharField(_("rule"), max_length=40, choices=Key.choices)
    amount = models.PositiveIntegerField(_("amount"))
    UNIT_CHOICES = [
        (deadlines.Unit.HOURS.value, _("hours")),
        (deadlines.Unit.DAYS.value, _("days")),
        (deadlines.Unit.WEEKS.value, _("weeks")),
        (deadlines.Unit.MONTHS.value, _("months")),
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
