"""Notifications (underretninger): who reads, assesses and assigns them; who registers one."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trappen.audit.log import note_read
from trappen.intake.models import Notification
from trappen.organisation.models import Profession

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


def may_submit_concern(user: Any) -> bool:
    """School and day-care contacts send a concern about a child; they learn nothing back."""
    return active(user) and user.profession == Profession.SCHOOL


def get_notification(user: Any, pk: int, action: Action = Action.VIEW) -> Notification:
    notification = (
        Notification.objects.select_related("child__district__team", "case").filter(pk=pk).first()
    )
    if notification is None or not may_notification(user, Action.VIEW, notification):
        raise Http404
    if action is not Action.VIEW and not may_notification(user, action, notification):
        raise PermissionDenied
    note_read(notification)
    return notification
