"""Changes to consent, sharing and break-the-glass: each in one transaction, each audited."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case
from trappen.organisation.models import Profession

from .models import BreakGlass, Consent, Sharing

BREAK_GLASS_MIN_REASON = 20  # characters: a sentence, not "x"


def break_glass_hours() -> int:
    return int(getattr(settings, "BREAK_GLASS_HOURS", 8))


def _audit(action: str, obj: Any, *, user: Any, detail: dict[str, Any]) -> None:
    """Record in the audit log. Detail never holds names or CPR."""
    record(getattr(AuditAction, action), obj, user=user, detail=detail)


@transaction.atomic
def register_consent(case: Case, *, by: Any, **data: Any) -> Consent:
    consent = Consent(case=case, registered_by=by, **data)
    consent.full_clean()
    consent.save()
    _audit(
        "CONSENT",
        case,
        user=by,
        detail={"consent": consent.pk, "change": "registered", "scope": consent.scope},
    )
    return consent


class ConsentConflict(Exception):
    """The consent changed (e.g. was withdrawn) after the editor's form was rendered."""

    def __init__(self, current: Consent) -> None:
        super().__init__(f"consent {current.pk} is at version {current.version}")
        self.current = current


@transaction.atomic
def withdraw_consent(consent: Consent, *, on: date, by: Any, version: int | None = None) -> Consent:
    """Withdraw from `on`. `version`: the consent's version the editor saw; a consent changed
    since (withdrawn by someone else) is a ConsentConflict and nothing is changed."""
    # Locked: of two people withdrawing at once, the second waits and then sees the first.
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if version is not None and current.version != version:
        raise ConsentConflict(current)
    if current.withdrawn_on is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if on < current.valid_from:
        raise ValidationError(_("A consent cannot be withdrawn before it starts."))
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    current.withdrawn_on = on
    current.withdrawn_by = by
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawn_at"])
    _audit(
        "CONSENT",
        current.case,
        user=by,
        detail={"consent": current.pk, "change": "withdrawn", "scope": current.scope},
    )
    return current


@transaction.atomic
def share(case: Case, *, user: Any, by: Any) -> Sharing:
    if user.profession not in {Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR}:
        raise ValidationError(_("A case is shared only with a psychologist or health visitor."))
    if Sharing.objects.filter(case=case, user=user, ended_at__isnull=True).exists():
        raise ValidationError(_("The case is already shared with this person."))
    sharing = Sharing.objects.create(case=case, user=user, shared_by=by)
    _audit("CONSENT", case, user=by, detail={"sharing": sharing.pk, "change": "shared"})
    return sharing


@transaction.atomic
def unshare(sharing: Sharing, *, by: Any) -> None:
    Sharing.objects.filter(pk=sharing.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=by
    )
    _audit("CONSENT", sharing.case, user=by, detail={"sharing": sharing.pk, "change": "ended"})


@transaction.atomic
def break_glass(case: Case, *, user: Any, reason: str) -> BreakGlass:
    reason = reason.strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            _("State the reason in at least %(n)d characters.") % {"n": BREAK_GLASS_MIN_REASON}
        )
    now = timezone.now()
    grant = BreakGlass.objects.create(
        case=case,
        user=user,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=break_glass_hours()),
    )
    # The reason is free text (it may name a child or a parent): it stays on the grant, where
    # the team leader reads it and retention reaches it; the log names the grant.
    _audit(
        "BREAK_GLASS",
        case,
        user=user,
        detail={"break_glass": grant.pk, "until": grant.expires_at.isoformat()},
    )
    return grant
