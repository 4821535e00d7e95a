"""Consent, sharing and break-the-glass: how a case reaches someone outside its team."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trappen.cases.models import Case
from trappen.consent.models import BreakGlass, Consent, Scope, Sharing

from .base import (
    BREAK_GLASS_PROFESSIONS,
    SHARED_READERS,
    active,
    is_leader_of,
    is_team_leader,
    today,
)


def _consents(case: Case | int, who: Any, scope: str, on: date) -> QuerySet[Consent]:
    """Consents for `case` and `scope` valid on `on` naming `who` (a user or a profession)."""
    case_id = case if isinstance(case, int) else case.pk
    qs = Consent.objects.valid_on(on).filter(case_id=case_id, scope=scope)
    if isinstance(who, str):
        return qs.filter(profession=who, recipient__isnull=True)
    return qs.filter(Q(recipient_id=who.pk) | Q(profession=who.profession, recipient__isnull=True))


def may_share(
    case: Case,
    who: Any,
    scope: str = Scope.CASE_INFORMATION,
    on: date | None = None,
    *,
    consents: Iterable[Consent] | None = None,
) -> bool:
    """Does a custody holder's consent, valid on `on` (today), allow sharing `scope` of `case`
    with `who` — a user, or a Profession value when the recipient is a role?

    `consents`: the case's consents already read (the case page's consent panel), decided on
    them with the same rule instead of a query."""
    if who is None or (not isinstance(who, str) and not getattr(who, "profession", "")):
        return False
    day = on or today()
    if consents is not None:
        return any(_names(c, case, who, scope, day) for c in consents)
    return _consents(case, who, scope, day).exists()


def _names(consent: Consent, case: Case, who: Any, scope: str, on: date) -> bool:
    """`_consents()` for one consent in memory."""
    if consent.case_id != case.pk or consent.scope != scope or not consent.is_valid_on(on):
        return False
    if isinstance(who, str):
        return consent.profession == who and consent.recipient_id is None
    return consent.recipient_id == who.pk or (
        consent.profession == who.profession and consent.recipient_id is None
    )


def may_discuss_by_name(case: Case, who: Any, on: date | None = None) -> bool:
    """May the child be discussed by name with `who` (a user or a profession) at an
    interdisciplinary meeting? Anonymous sparring needs no consent and no call here."""
    return may_share(case, who, Scope.NAMED_DISCUSSION, on)


def covered_sharing(user: Any, on: date) -> QuerySet[Sharing]:
    """The user's open sharings that a valid case-information consent covers."""
    consent = Consent.objects.valid_on(on).filter(
        Q(recipient_id=user.pk) | Q(profession=user.profession, recipient__isnull=True),
        case_id=OuterRef("case_id"),
        scope=Scope.CASE_INFORMATION,
    )
    return Sharing.objects.filter(user_id=user.pk, ended_at__isnull=True).filter(Exists(consent))


def is_shared_with(user: Any, case: Case) -> bool:
    if user.profession not in SHARED_READERS:
        return False
    return covered_sharing(user, today()).filter(case_id=case.pk).exists()


# ---- break-the-glass --------------------------------------------------------------------------


def may_break_glass(user: Any) -> bool:
    return active(user) and user.profession in BREAK_GLASS_PROFESSIONS


def active_break_glass(user: Any, case: Case) -> BreakGlass | None:
    if not active(user):
        return None
    return (
        BreakGlass.objects.filter(user_id=user.pk, case_id=case.pk, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def case_for_break_glass(user: Any, pk: int) -> Case:
    """The case behind a break-the-glass request: 403 for a user who may not break the glass,
    404 for no such case. Nothing of the case is shown until the grant is made."""
    if not may_break_glass(user):
        raise PermissionDenied
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def glass_q(user: Any, prefix: str = "") -> Q:
    """Cases (through `prefix`) opened to `user` by a running break-the-glass grant."""
    return Q(
        **{
            f"{prefix}break_glass__user": user,
            f"{prefix}break_glass__expires_at__gt": timezone.now(),
        }
    )


def may_list_break_glass(user: Any, team: Any = None) -> bool:
    """Team leaders review the break-the-glass accesses to their team's cases."""
    if team is not None:
        return is_leader_of(user, team)
    return is_team_leader(user)


def visible_break_glass(user: Any) -> QuerySet[BreakGlass]:
    """The grants a team leader reviews: those on the team's cases, newest first."""
    if not may_list_break_glass(user):
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(case__team_id=user.team_id).order_by("-opened_at")
