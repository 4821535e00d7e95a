"""Notifications (underretninger): who reads, assesses and assigns them; who registers one."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trappen.audit.log import note_read
from trappen.intake.models import DutyShift, Notification
from trappen.organisation.models import Profession, Team

from .base import CASE_TEAM_PROFESSIONS, TEAM_READERS, Action, active, is_leader_of, reads_team
from .cases import may_case, visible_cases


def visible_notifications(user: Any) -> QuerySet[Notification]:
    """Notifications the user may read: the team's for caseworkers and team leaders, those of
    visible cases for the others."""
    if not active(user) or user.profession not in CASE_TEAM_PROFESSIONS:
        return Notification.objects.none()
    own = Q(case__in=visible_cases(user))
    if user.profession in TEAM_READERS:
        own |= Q(child__district__team_id=user.team_id)
    return Notification.objects.filter(own)


def may_notification(user: Any, action: Action, obj: Notification) -> bool:
    team_id = obj.child.district.team_id
    if action is Action.VIEW:
        return reads_team(user, team_id) or bool(obj.case and may_case(user, action, obj.case))
    if action is Action.ASSESS:
        return reads_team(user, team_id)
    if action is Action.ASSIGN:
        return obj.case_id is None and is_leader_of(user, team_id)
    return False


def may_register(user: Any) -> bool:
    # Registering looks the child up (is a case open?): schools use `may_submit_concern`.
    return active(user) and user.profession in TEAM_READERS


# Who sends a notification through the professionals' form (F8 point 4): school and
# day-care contacts, the PPR psychologists and the health visitors, all with the duty of
# Barnets Lov § 133. They learn nothing back about the child or the case.
NOTIFIERS = {Profession.SCHOOL, Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR}


def may_submit_concern(user: Any) -> bool:
    """A professional with a duty to notify sends a notification from their organisation."""
    return active(user) and user.profession in NOTIFIERS


def own_submissions(user: Any) -> QuerySet[Notification]:
    """What the user sent through the professionals' form: *Mine underretninger* shows each
    with its reference number and status, never the child's name, the case or its content."""
    if not may_submit_concern(user):
        return Notification.objects.none()
    return Notification.objects.filter(registered_by=user)


def may_view_roster(user: Any, team: Team | int | None) -> bool:
    """The team's duty roster: its caseworkers and team leaders."""
    team_id = team.pk if isinstance(team, Team) else team
    return active(user) and reads_team(user, team_id)


def may_edit_roster(user: Any, team: Team | int | None) -> bool:
    """The team leader plans who is on duty."""
    return is_leader_of(user, team)


def get_shift(user: Any, pk: int) -> DutyShift:
    """A shift the user may change (the team leader of its team); 404 otherwise."""
    shift = DutyShift.objects.select_related("team").filter(pk=pk).first()
    if shift is None or not may_view_roster(user, shift.team_id):
        raise Http404
    if not may_edit_roster(user, shift.team_id):
        raise PermissionDenied
    return shift


def get_notification(user: Any, pk: int, action: Action = Action.VIEW) -> Notification:
    notification = (
        Notification.objects.select_related(
            "child__district__team", "case", "notifier_organisation", "offered_to"
        )
        .filter(pk=pk)
        .first()
    )
    if notification is None or not may_notification(user, Action.VIEW, notification):
        raise Http404
    if action is not Action.VIEW and not may_notification(user, action, notification):
        raise PermissionDenied
    note_read(notification)
    return notification
