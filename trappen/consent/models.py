"""Consent from the custody holders, sharing with a psychologist or health visitor, and
break-the-glass access. Nothing here is ever deleted: a consent is withdrawn, a sharing ended,
a break-the-glass grant expires, so the history stays for the audit and the parents."""

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, bump_version, reload_version
from trappen.organisation.models import Profession


class Scope(models.TextChoices):
    CASE_INFORMATION = "case_information", _("Share case information")
    NAMED_DISCUSSION = (
        "named_discussion",
        _("Discuss the child by name at interdisciplinary meetings"),
    )


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    OTHER = "other", _("Other custody holder")


# Who a consent can name as recipient: the professions outside the caseworker's own authority.
RECIPIENT_PROFESSIONS = [
    (Profession.PSYCHOLOGIST.value, Profession.PSYCHOLOGIST.label),
    (Profession.HEALTH_VISITOR.value, Profession.HEALTH_VISITOR.label),
    (Profession.SCHOOL.value, Profession.SCHOOL.label),
]


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, day: date) -> "ConsentQuerySet":
        """Consents in force on `day`: started, not ended, not withdrawn by then."""
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
            valid_from__lte=day,
        )


class Consent(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="consents", verbose_name=_("case")
    )
    custody_holder = models.CharField(_("custody holder"), max_length=200)
    relation = models.CharField(_("relation to the child"), max_length=20, choices=Relation)
    scope = models.CharField(_("what may be shared"), max_length=30, choices=Scope)
    profession = models.CharField(
        _("with profession"), max_length=20, choices=RECIPIENT_PROFESSIONS, blank=True
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_received",
        verbose_name=_("with person"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change (no lost updates): the withdrawal form carries the version it saw.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="consent_has_one_recipient",
                condition=(Q(profession="") & Q(recipient__isnull=False))
                | (~Q(profession="") & Q(recipient__isnull=True)),
            ),
            models.CheckConstraint(
                name="consent_ends_after_start",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
            models.CheckConstraint(
                name="consent_withdrawn_after_start",
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} · {self.recipient_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        bump_version(self, kwargs)
        super().save(*args, **kwargs)
        reload_version(self)

    @property
    def recipient_label(self) -> str:
        return str(self.recipient) if self.recipient else str(self.get_profession_display())

    def is_valid_on(self, day: date) -> bool:
        return (
            self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


class Sharing(models.Model):
    """A case shared with one psychologist or health visitor; effective only while a consent
    covers it (trappen.access.policy checks both)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sharings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sharings",
        verbose_name=_("shared with"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sharing")
        verbose_name_plural = _("sharings")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(ended_at__isnull=True), name="one_open_sharing"
            )
        ]


# A Danish CPR number in free text: ddmmyy-xxxx, ddmmyy xxxx or ten digits in a row (the
# pattern of trappen.audit.log.safe_text, not inside a longer number).
CPR_IN_TEXT = re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)")
CPR_MASK = "xxxxxx-xxxx"


def mask_cpr(text: str) -> str:
    """`text` with every CPR-shaped number replaced by xxxxxx-xxxx."""
    return CPR_IN_TEXT.sub(CPR_MASK, text)


class BreakGlass(models.Model):
    """Access to one case outside the user's scope, with a mandatory reason, for a while.

    The reason is kept as typed but with CPR numbers masked (the case says whose it is);
    retention blanks it with the rest of the child's data (docs/privacy.md)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass"
    )
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        ordering = ["-opened_at"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.reason = mask_cpr(self.reason)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
