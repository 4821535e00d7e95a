"""The one place that answers "may this user do this to this object?".

Every view, export and report asks here before it reads or writes case data; lists and
dashboards use `visible_cases` (docs/roles.md has the table).

- caseworker: changes own cases; reads the district team's cases.
- team leader: reads and changes the team's cases; sees a case offered by a pending transfer.
- PPR psychologist, health visitor: read only cases shared with them (consent.Sharing), and only
  while a consent from a custody holder covers that sharing (`may_share`).
- school or day-care contact, analyst, administrator, data protection officer: no case content.
  Analysts, team leaders and administrators see the aggregated steering pages; the data
  protection officer and team leaders see who has read a child's case (`may_view_audit`).
- break-the-glass: a case-team professional may read one case outside their scope for a while
  with a recorded reason (trappen.consent.models.BreakGlass).
- superuser: the emergency account for configuration in the Django admin; no case content here.
"""

from datetime import date
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trappen.audit.log import note_read
from trappen.cases.models import Case, Child
from trappen.consent.models import BreakGlass, Consent, Scope, Sharing
from trappen.intake.models import Notification
from trappen.organisation.models import Profession, Team

CASE_TEAM_PROFESSIONS = {
    Profession.CASEWORKER,
    Profession.TEAM_LEADER,
    Profession.PSYCHOLOGIST,
    Profession.HEALTH_VISITOR,
}
# Who reads the team's cases by virtue of working in it (others need a sharing and consent).
TEAM_READERS = {Profession.CASEWORKER, Profession.TEAM_LEADER}
SHARED_READERS = {Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR}
# Who may break the glass: the case-team professionals, never analysts, administrators, schools.
BREAK_GLASS_PROFESSIONS = CASE_TEAM_PROFESSIONS


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    ASSIGN = "assign"  # distribute new cases and receive transfers
    REGISTER = "register"  # register notifications
    ASSESS = "assess"  # make the 24-hour assessment
    DECIDE_VISITATION = "decide_visitation"  # record the visitation committee's decision
    MANAGE_CONSENT = "manage_consent"  # register or withdraw consent, share or unshare a case


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _is_leader_of(user: Any, team: Team | None) -> bool:
    return bool(team) and user.is_team_leader and user.team_id == team.pk  # type: ignore[union-attr]


def _reads_team(user: Any, team_id: int | None) -> bool:
    return user.profession in TEAM_READERS and user.team_id == team_id


def _today() -> date:
    return timezone.localdate()


# ---- consent ----------------------------------------------------------------------------------


def _consents(case: Case | int, who: Any, scope: str, on: date) -> QuerySet[Consent]:
    """Consents for `case` and `scope` valid on `on` naming `who` (a user or a profession)."""
    case_id = case if isinstance(case, int) else case.pk
    qs = Consent.objects.valid_on(on).filter(case_id=case_id, scope=scope)
    if isinstance(who, str):
        return qs.filter(profession=who, recipient__isnull=True)
    return qs.filter(Q(recipient_id=who.pk) | Q(profession=who.profession, recipient__isnull=True))


def may_share(
    case: Case, who: Any, scope: str = Scope.CASE_INFORMATION, on: date | None = None
) -> bool:
    """Does a custody holder's consent, valid on `on` (today), allow sharing `scope` of `case`
    with `who` — a user, or a Profession value when the recipient is a role?"""
    if who is None or (not isinstance(who, str) and not getattr(who, "profession", "")):
        return False
    return _consents(case, who, scope, on or _today()).exists()


def may_discuss_by_name(case: Case, who: Any, on: date | None = None) -> bool:
    """May the child be discussed by name with `who` (a user or a profession) at an
    interdisciplinary meeting? Anonymous sparring needs no consent and no call here."""
    return may_share(case, who, Scope.NAMED_DISCUSSION, on)


def _covered_sharing(user: Any, on: date) -> QuerySet[Sharing]:
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
    return _covered_sharing(user, _today()).filter(case_id=case.pk).exists()


# ---- break-the-glass --------------------------------------------------------------------------


def may_break_glass(user: Any) -> bool:
    return _active(user) and user.profession in BREAK_GLASS_PROFESSIONS


def active_break_glass(user: Any, case: Case) -> BreakGlass | None:
    if not _active(user):
        return None
    return (
        BreakGlass.objects.filter(user_id=user.pk, case_id=case.pk, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


# ---- cases --------------------------------------------------------------------------------------


def visible_cases(user: Any) -> QuerySet[Case]:
    if not _active(user) or user.profession not in CASE_TEAM_PROFESSIONS:
        return Case.objects.none()
    glass = Q(break_glass__user=user, break_glass__expires_at__gt=timezone.now())
    if user.profession in SHARED_READERS:
        shared = _covered_sharing(user, _today()).values("case_id")
        return Case.objects.filter(Q(pk__in=shared) | glass).distinct()
    incoming = Q(transfers__receiving_team_leader=user, transfers__completed_at__isnull=True)
    return Case.objects.filter(Q(team_id=user.team_id) | incoming | glass).distinct()


def visible_notifications(user: Any) -> QuerySet[Notification]:
    """Notifications the user may read: the team's for caseworkers and team leaders, those of
    visible cases for the others."""
    if not _active(user) or user.profession not in CASE_TEAM_PROFESSIONS:
        return Notification.objects.none()
    own = Q(case__in=visible_cases(user))
    if user.profession in TEAM_READERS:
        own |= Q(child__district__team_id=user.team_id)
    return Notification.objects.filter(own)


def may(user: Any, action: Action, obj: Any = None) -> bool:
    if not _active(user):
        return False
    if isinstance(obj, Case):
        return _may_case(user, action, obj)
    if isinstance(obj, Notification):
        team_id = obj.child.district.team_id
        if action is Action.VIEW:
            return _reads_team(user, team_id) or bool(
                obj.case and _may_case(user, action, obj.case)
            )
        if action is Action.ASSESS:
            return _reads_team(user, team_id)
        if action is Action.ASSIGN:
            return obj.case_id is None and user.is_team_leader and user.team_id == team_id
        return False
    if isinstance(obj, Team):
        return action is Action.ASSIGN and _is_leader_of(user, obj)
    if obj is None and action is Action.REGISTER:
        # Registering looks the child up (is a case open?): schools use `may_submit_concern`.
        return user.profession in TEAM_READERS
    return False


def may_submit_concern(user: Any) -> bool:
    """School and day-care contacts send a concern about a child; they learn nothing back."""
    return _active(user) and user.profession == Profession.SCHOOL


def _may_case(user: Any, action: Action, case: Case) -> bool:
    if action is Action.VIEW:
        if _reads_team(user, case.team_id) or is_shared_with(user, case):
            return True
        if (
            user.is_team_leader
            and case.transfers.filter(
                receiving_team_leader=user, completed_at__isnull=True
            ).exists()
        ):
            return True
        return user.profession in BREAK_GLASS_PROFESSIONS and (
            active_break_glass(user, case) is not None
        )
    if action in (Action.EDIT, Action.MANAGE_CONSENT):
        if not case.is_open:
            return False
        return (case.caseworker_id == user.pk and _reads_team(user, case.team_id)) or (
            _is_leader_of(user, case.team)
        )
    if action is Action.DECIDE_VISITATION:
        # The team leader of the case's team records the committee's approval or refusal.
        return case.is_open and _is_leader_of(user, case.team)
    if action is Action.ASSIGN:
        pending = case.transfers.filter(completed_at__isnull=True).first()
        return pending is not None and pending.receiving_team_leader_id == user.pk
    return False


def get_case(user: Any, pk: int, action: Action = Action.VIEW) -> Case:
    """The case if the user may act on it: 404 when they may not even see it, else 403."""
    case = (
        Case.objects.select_related("child__district", "team", "caseworker").filter(pk=pk).first()
    )
    if case is None or not may(user, Action.VIEW, case):
        raise Http404
    if action is not Action.VIEW and not may(user, action, case):
        raise PermissionDenied
    note_read(case)
    return case


def get_notification(user: Any, pk: int, action: Action = Action.VIEW) -> Notification:
    notification = (
        Notification.objects.select_related("child__district__team", "case").filter(pk=pk).first()
    )
    if notification is None or not may(user, Action.VIEW, notification):
        raise Http404
    if action is not Action.VIEW and not may(user, action, notification):
        raise PermissionDenied
    note_read(notification)
    return notification


# Who may see the steering pages, the evaluation report and its Excel workbook: aggregated key
# figures only, never case content.
STEERING_PROFESSIONS = {Profession.ANALYST, Profession.TEAM_LEADER, Profession.ADMINISTRATOR}


def may_view_steering(user: Any) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser) or user.profession in STEERING_PROFESSIONS


def may_view_audit(user: Any, child: Child | None = None) -> bool:
    """Who may ask "who has seen this child's case?": the data protection officer and the
    superuser (any child, no case content), and a team leader for a child of the team's
    districts or whose case the team has had. A child already deleted: only the first two."""
    if not _active(user):
        return False
    if user.is_superuser or user.profession == Profession.DATA_PROTECTION:
        return True
    if child is None or not user.is_team_leader or user.team_id is None:
        return False
    return child.district.team_id == user.team_id or (
        child.cases.filter(team_id=user.team_id).exists()
    )


def may_list_break_glass(user: Any, team: Team | None = None) -> bool:
    """Team leaders review the break-the-glass accesses to their team's cases."""
    return _active(user) and user.is_team_leader and (team is None or user.team_id == team.pk)


def require(user: Any, action: Action, obj: Any = None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied


# ---- data subject's access report (trappen.privacy) -------------------------------------------


def may_get_access_report(user: Any, child: Child) -> bool:
    """The full report of what is held about a child (GDPR art. 15): the data protection
    officer, and the team leader of the child's district or of a team that has had the child's
    case. Nobody else, however far they may read the case."""
    if not _active(user):
        return False
    if user.profession == Profession.DATA_PROTECTION:
        return True
    if not user.is_team_leader or user.team_id is None:
        return False
    return (
        child.district.team_id == user.team_id or child.cases.filter(team_id=user.team_id).exists()
    )


def may_look_up_access_report(user: Any) -> bool:
    """Who may look a child up by CPR number to get its access report (then as above)."""
    return _active(user) and (
        user.profession == Profession.DATA_PROTECTION or bool(user.is_team_leader)
    )
