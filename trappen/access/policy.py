"""The one place that answers "may this user do this to this object?".

Every view asks here before it reads or writes case data, so that F4 (consent, scopes and the
audit log) tightens this module instead of fifty views.

Interim rules until F4: a case is visible to its team (caseworkers, team leader, PPR
psychologist, health visitor) and to the receiving team leader of a pending transfer; it is
changed by its own caseworker and the team leader. Nobody else sees case content. The steering
pages (aggregated key figures, no case content) are seen by analysts, team leaders and
administrators (`may_view_steering`).
"""

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trappen.cases.models import Case
from trappen.intake.models import Notification
from trappen.organisation.models import Profession, Team

CASE_TEAM_PROFESSIONS = {
    Profession.CASEWORKER,
    Profession.TEAM_LEADER,
    Profession.PSYCHOLOGIST,
    Profession.HEALTH_VISITOR,
}


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    ASSIGN = "assign"  # distribute new cases and receive transfers
    REGISTER = "register"  # register notifications
    ASSESS = "assess"  # make the 24-hour assessment
    DECIDE_VISITATION = "decide_visitation"  # record the visitation committee's decision


def _is_leader_of(user: Any, team: Team | None) -> bool:
    return bool(team) and user.is_team_leader and user.team_id == team.pk  # type: ignore[union-attr]


def _works_in(user: Any, team_id: int | None) -> bool:
    return user.profession in CASE_TEAM_PROFESSIONS and user.team_id == team_id


def visible_cases(user: Any) -> QuerySet[Case]:
    if not user.is_authenticated or user.profession not in CASE_TEAM_PROFESSIONS:
        return Case.objects.none()
    incoming = Q(transfers__receiving_team_leader=user, transfers__completed_at__isnull=True)
    return Case.objects.filter(Q(team_id=user.team_id) | incoming).distinct()


def may(user: Any, action: Action, obj: Any = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if isinstance(obj, Case):
        return _may_case(user, action, obj)
    if isinstance(obj, Notification):
        team_id = obj.child.district.team_id
        if action is Action.VIEW:
            return _works_in(user, team_id) or (obj.case and _may_case(user, action, obj.case))
        if action is Action.ASSESS:
            return user.profession in {Profession.CASEWORKER, Profession.TEAM_LEADER} and (
                user.team_id == team_id
            )
        if action is Action.ASSIGN:
            return obj.case_id is None and user.is_team_leader and user.team_id == team_id
        return False
    if isinstance(obj, Team):
        return action is Action.ASSIGN and _is_leader_of(user, obj)
    if obj is None and action is Action.REGISTER:
        return user.profession in {Profession.CASEWORKER, Profession.TEAM_LEADER}
    return False


def _may_case(user: Any, action: Action, case: Case) -> bool:
    if action is Action.VIEW:
        if _works_in(user, case.team_id):
            return True
        return case.transfers.filter(receiving_team_leader=user, completed_at__isnull=True).exists()
    if action is Action.EDIT:
        if not case.is_open:
            return False
        return case.caseworker_id == user.pk or _is_leader_of(user, case.team)
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
    return case


def get_notification(user: Any, pk: int, action: Action = Action.VIEW) -> Notification:
    notification = (
        Notification.objects.select_related("child__district__team", "case").filter(pk=pk).first()
    )
    if notification is None or not may(user, Action.VIEW, notification):
        raise Http404
    if action is not Action.VIEW and not may(user, action, notification):
        raise PermissionDenied
    return notification


# Who may see the steering pages, the evaluation report and its Excel workbook: aggregated key
# figures only, never case content.
STEERING_PROFESSIONS = {Profession.ANALYST, Profession.TEAM_LEADER, Profession.ADMINISTRATOR}


def may_view_steering(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or user.profession in STEERING_PROFESSIONS


def require(user: Any, action: Action, obj: Any = None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied
