"""Who may see and run a team's meetings (asked by every view of the app).

Team members of the case-team professions see their team's meetings; the coordinator and the
team leader order the agenda and plan series; school and day-care contacts only submit
descriptions and see their own submissions — never an agenda or case data.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from trappen.access.policy import CASE_TEAM_PROFESSIONS
from trappen.organisation.models import Profession

from .models import Meeting, Series


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_team_member(user: Any, team_id: int | None) -> bool:
    return (
        _active(user)
        and team_id is not None
        and user.team_id == team_id
        and user.profession in CASE_TEAM_PROFESSIONS
    )


def may_plan(user: Any, series: Series | None = None, team_id: int | None = None) -> bool:
    team_id = series.team_id if series else team_id
    if not is_team_member(user, team_id):
        return False
    return user.is_team_leader or (series is not None and series.coordinator_id == user.pk)


def may_submit(user: Any) -> bool:
    return _active(user) and user.profession == Profession.SCHOOL


def get_meeting(user: Any, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("series__school", "chair"), pk=pk)
    if not is_team_member(user, meeting.series.team_id):
        raise Http404
    return meeting


def require_plan(user: Any, series: Series) -> None:
    if not may_plan(user, series):
        raise PermissionDenied
