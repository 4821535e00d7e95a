"""Network meetings: who calls one, who sees and changes it, who sees the reserved slots.

"Det er den leder eller fagperson, der har bekymringen, der inviterer til møde" (KORA 2017,
appendix 2): any professional with a concern — a school or day-care contact, the psychologist,
the health visitor, a caseworker or team leader — calls a network meeting, also before any case
exists. A meeting on a case is read through the case's policy (audited), and also by the one who
called it and the staff invited to it; one before a case (anonymous until the parents consent)
by its caller, the invited staff and the district team. The caller and, on a case, whoever may
edit the case change it, record the consent and send the minutes.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trappen.audit.log import note_read
from trappen.network.models import NetworkMeeting, Slot
from trappen.organisation.models import District, Profession

from .base import Action, active
from .cases import may_case
from .meetings import is_team_member

CALLERS = {
    Profession.SCHOOL,
    Profession.PSYCHOLOGIST,
    Profession.HEALTH_VISITOR,
    Profession.CASEWORKER,
    Profession.TEAM_LEADER,
}


def may_call_network_meeting(user: Any) -> bool:
    return active(user) and user.profession in CALLERS


def callable_districts(user: Any) -> QuerySet[District]:
    """The districts `user` may call a meeting before a case in: a school contact's schools'
    districts, a team professional's team's districts."""
    if not may_call_network_meeting(user):
        return District.objects.none()
    if user.profession == Profession.SCHOOL:
        return District.objects.filter(schools__contacts=user).distinct()
    return District.objects.filter(team_id=user.team_id)


def _takes_part(user: Any, meeting: NetworkMeeting) -> bool:
    return meeting.created_by_id == user.pk or meeting.participants.filter(user=user).exists()


def may_view_network_meeting(user: Any, meeting: NetworkMeeting) -> bool:
    if not active(user):
        return False
    if meeting.case is not None and may_case(user, Action.VIEW, meeting.case):
        return True
    if _takes_part(user, meeting):
        return True
    return (
        meeting.case_id is None
        and meeting.district is not None
        and is_team_member(user, meeting.district.team_id)
    )


def may_edit_network_meeting(user: Any, meeting: NetworkMeeting) -> bool:
    if not active(user):
        return False
    if meeting.created_by_id == user.pk:
        return True
    if meeting.case is not None:
        return may_case(user, Action.EDIT, meeting.case)
    return meeting.district is not None and is_team_member(user, meeting.district.team_id)


def get_network_meeting(user: Any, pk: int, action: Action = Action.VIEW) -> NetworkMeeting:
    """The meeting if `user` may see it (404 otherwise, missing or not), 403 when they may see
    but not change it. The read is audited: the case's, or the meeting's before a case."""
    meeting = (
        NetworkMeeting.objects.select_related("case__child__district", "case__team", "district")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not may_view_network_meeting(user, meeting):
        raise Http404
    if action is not Action.VIEW and not may_edit_network_meeting(user, meeting):
        raise PermissionDenied
    note_read(meeting.case if meeting.case is not None else meeting)
    return meeting


def visible_network_meetings(user: Any) -> QuerySet[NetworkMeeting]:
    """The meetings `user` called or is invited to, and the district team's meetings before a
    case; meetings on a case the user reads are on the case page."""
    if not active(user):
        return NetworkMeeting.objects.none()
    mine = Q(created_by=user) | Q(participants__user=user)
    if user.profession in CALLERS and user.team_id is not None:
        mine |= Q(case__isnull=True, district__team_id=user.team_id)
    return NetworkMeeting.objects.filter(mine).distinct()


def visible_slots(user: Any) -> QuerySet[Slot]:
    """The reserved slots of the districts `user` may call a meeting in, and their own."""
    if not may_call_network_meeting(user):
        return Slot.objects.none()
    return Slot.objects.filter(Q(district__in=callable_districts(user)) | Q(holder=user))


def may_reserve_slots(user: Any, district: District) -> bool:
    """Reserving time in one's own calendar: the district team's professionals."""
    return is_team_member(user, district.team_id)


def may_reserve_any_slots(user: Any) -> bool:
    """Whether the overview offers `user` the form to reserve slots: a district team's
    professional of one of the districts they may call a meeting in."""
    return any(may_reserve_slots(user, d) for d in callable_districts(user))


def calendar_network_meetings(user: Any) -> QuerySet[NetworkMeeting]:
    """The meetings in `user`'s calendar feed: those they called, are invited to as staff, or
    whose case they are the caseworker of (the feed names the kind only, never the child)."""
    if not active(user):
        return NetworkMeeting.objects.none()
    return NetworkMeeting.objects.filter(
        Q(created_by=user) | Q(participants__user=user) | Q(case__caseworker=user)
    ).distinct()


def caller_participant_role(user: Any) -> str:
    """The caller's own row on an invitation before a case: a school contact as the school,
    everyone else under their profession's role (the participant list's roles)."""
    return participant_role(user) if user.profession == Profession.SCHOOL else "other"


def participant_role(user: Any) -> str:
    """The invitation's role for the caller (the participant list's own roles)."""
    return {
        Profession.SCHOOL: "school",
        Profession.PSYCHOLOGIST: "psychologist",
        Profession.HEALTH_VISITOR: "health_visitor",
        Profession.CASEWORKER: "caseworker",
        Profession.TEAM_LEADER: "caseworker",
    }.get(user.profession, "other")
