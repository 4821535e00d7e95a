"""The district team's meetings: who sees and runs them, who writes minutes and decisions, and
when a child on the agenda may be named.

Team members of the case-team professions see their team's meetings; the coordinator and the
team leader order the agenda and plan series; the chair, the team leader and the author write
(and rewrite) the minutes and each item's decision; school and day-care contacts submit
descriptions, see the agendas of their own school's resource-centre meetings (no description
of an item on a case unless the child may be named to them), and the school's coordinator
orders them (below).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from trappen.cases.models import Case
from trappen.meetings.models import AgendaItem, Agreement, Meeting, Series
from trappen.organisation.models import Profession

from .base import CASE_TEAM_PROFESSIONS, active, is_leader_of, reads_team
from .cases import visible_cases
from .sharing import may_discuss_by_name


def is_team_member(user: Any, team_id: int | None) -> bool:
    return (
        active(user)
        and team_id is not None
        and user.team_id == team_id
        and user.profession in CASE_TEAM_PROFESSIONS
    )


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings `user` may open: those of their own team's series, today's team."""
    if not is_team_member(user, getattr(user, "team_id", None)):
        return Meeting.objects.none()
    return Meeting.objects.filter(series__team_id=user.team_id)


def attended_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings `user` takes part in, for their calendar (kind and team or school only, no
    child). A case-team professional keeps only their own team's: one moved to another team
    loses the old team's meetings at once; a school contact keeps the meetings they attend."""
    if not active(user):
        return Meeting.objects.none()
    mine = Meeting.objects.filter(participants__user_id=user.pk)
    if user.profession in CASE_TEAM_PROFESSIONS:
        mine = mine.filter(series__team_id=user.team_id)
    return mine.distinct()


def visible_series(user: Any) -> QuerySet[Series]:
    if not is_team_member(user, getattr(user, "team_id", None)):
        return Series.objects.none()
    return Series.objects.filter(team_id=user.team_id)


def may_plan(user: Any, series: Series | None = None, team_id: int | None = None) -> bool:
    team_id = series.team_id if series else team_id
    if not is_team_member(user, team_id):
        return False
    return is_leader_of(user, team_id) or (series is not None and series.coordinator_id == user.pk)


def may_submit(user: Any) -> bool:
    return active(user) and user.profession == Profession.SCHOOL


def get_meeting(user: Any, pk: int) -> Meeting:
    """The meeting if `user` is a member of its team today; 404 otherwise (missing or not)."""
    meeting = (
        Meeting.objects.select_related("series__school", "series__team", "chair")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not is_team_member(user, meeting.series.team_id):
        raise Http404
    return meeting


def get_agreement(user: Any, pk: int) -> Agreement:
    """An agreement of a series of the user's team; 404 otherwise (missing or not)."""
    agreement = Agreement.objects.select_related("made_at", "series").filter(pk=pk).first()
    if agreement is None or not is_team_member(user, agreement.series.team_id):
        raise Http404
    return agreement


def require_plan(user: Any, series: Series) -> None:
    if not may_plan(user, series):
        raise PermissionDenied


def _runs(user: Any, meeting: Meeting) -> bool:
    """The chair of the meeting and the team leader of its team."""
    team_id = meeting.series.team_id
    return is_team_member(user, team_id) and (
        meeting.chair_id == user.pk or is_leader_of(user, team_id)
    )


def may_edit_meeting(user: Any, meeting: Meeting) -> bool:
    """Time, place and chair: the chair, the team leader and the series' coordinator. (Anyone
    who could name the chair could make themselves chair and rewrite the minutes.)"""
    return _runs(user, meeting) or may_plan(user, meeting.series)


def may_write_minutes(user: Any, meeting: Meeting) -> bool:
    """Minutes are a record with an author: the chair, the team leader and whoever wrote the
    minutes so far change them; other team members read them. At a resource-centre meeting
    the school's coordinator writes them too ("Under mødet er det koordinator, der fungerer
    som ordstyrer [...] og laver et beslutningsreferat", Herningmodellen 1.0)."""
    if _runs(user, meeting) or is_school_coordinator(user, meeting.series):
        return True
    return is_team_member(user, meeting.series.team_id) and meeting.minutes_by_id == user.pk


def may_write_decision(user: Any, item: AgendaItem) -> bool:
    """An item's decision: the chair, the team leader, the decision's author and, at a
    resource-centre meeting, the school's coordinator."""
    if _runs(user, item.meeting) or is_school_coordinator(user, item.meeting.series):
        return True
    return is_team_member(user, item.meeting.series.team_id) and item.decision_by_id == user.pk


def may_send_minutes(user: Any, meeting: Meeting) -> bool:
    """Who sends the decision minutes to the participants: whoever may write them (the chair, the
    team leader, the series' coordinator, the school's own included; Herningmodellen 1.0: "Efter
    mødet udfærdiger koordinator et beslutningsreferat [...], som sendes til deltagerne")."""
    if may_write_minutes(user, meeting):
        return True
    return meeting.series.coordinator_id == user.pk and is_team_member(user, meeting.series.team_id)


def get_minutes_meeting(user: Any, pk: int) -> Meeting:
    """The meeting whose minutes `user` may open: its team's members and the school's
    coordinator of a resource-centre meeting (the view checks the write itself); 404 for
    anyone else, the school's other contacts included."""
    meeting = get_agenda_meeting(user, pk)
    if is_school_side(user, meeting) and not is_school_coordinator(user, meeting.series):
        raise Http404
    return meeting


def may_open_minutes(user: Any, meeting: Meeting, items: Iterable[AgendaItem]) -> bool:
    return may_write_minutes(user, meeting) or any(may_write_decision(user, i) for i in items)


def nameable_cases(user: Any, meeting: Meeting) -> QuerySet[Case]:
    """The open cases `user` may put on the meeting's agenda: the team's cases they read by
    their work (never one opened only by break-the-glass)."""
    return (
        visible_cases(user, break_glass=False)
        .filter(team_id=meeting.series.team_id)
        .exclude(status=Case.Status.CLOSED)
    )


def _covered(case: Case, person: Any, day: date) -> bool:
    """Is `person` at the table (a user account, or None for a guest without one) covered?
    Membership is what the account says today, never a role typed for a guest: the case's own
    caseworkers and team leader need no consent; a guest is covered by none."""
    if person is None:
        return False
    if reads_team(person, case.team_id) and person.is_active:
        return True
    return may_discuss_by_name(case, person, day)


def may_name_child(case: Case | None, people: Iterable[Any], day: date) -> bool:
    """May the child of `case` be named to `people` (user accounts; None for a guest)? Only
    when every one of them is covered (`_covered`). Otherwise the item stays anonymous."""
    if case is None:
        return False
    return all(_covered(case, person, day) for person in people)


# ---- the school side of a resource-centre meeting ------------------------------------------------
# "Det er skolerne som vil have det overordnede ansvar for afholdelse af møderne. Fra skolen
# deltager skoleledelsen, en koordinator og øvrige relevante medarbejdere" (Herningmodellen 1.0,
# Ressourcecentermøder Skoler): the school's contacts see their school's agendas, and the school's
# coordinator (a school contact named the series' coordinator) orders them.


def is_school_contact_of(user: Any, series: Series) -> bool:
    """A school or day-care contact of the series' school (resource-centre series only)."""
    return (
        active(user)
        and user.profession == Profession.SCHOOL
        and series.kind == Series.Kind.RESOURCE_CENTRE
        and series.school_id is not None
        and series.school.contacts.filter(pk=user.pk).exists()  # type: ignore[union-attr]
    )


def is_school_coordinator(user: Any, series: Series) -> bool:
    return series.coordinator_id == user.pk and is_school_contact_of(user, series)


def may_be_coordinator(user: Any, series: Series) -> bool:
    """Who can be named a series' coordinator: a member of its team, or, for a
    resource-centre series, a contact of its school."""
    return is_team_member(user, series.team_id) or is_school_contact_of(user, series)


def may_see_agenda(user: Any, meeting: Meeting) -> bool:
    return is_team_member(user, meeting.series.team_id) or is_school_contact_of(
        user, meeting.series
    )


def get_agenda_meeting(user: Any, pk: int) -> Meeting:
    """The meeting for its agenda page: its team's members, and the contacts of the school of
    a resource-centre meeting; 404 otherwise (missing or not)."""
    meeting = (
        Meeting.objects.select_related("series__school", "series__team", "chair")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not may_see_agenda(user, meeting):
        raise Http404
    return meeting


def may_order_agenda(user: Any, meeting: Meeting) -> bool:
    """The coordinator orders the agenda ("Efterfølgende foretager koordinatoren en
    prioritering med henblik på udarbejdelse af en dagsorden"), the school's own coordinator
    included; the team leader too."""
    return may_plan(user, meeting.series) or is_school_coordinator(user, meeting.series)


def school_meetings(user: Any) -> QuerySet[Meeting]:
    """The resource-centre meetings of the schools `user` is a contact of."""
    if not (active(user) and user.profession == Profession.SCHOOL):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        series__kind=Series.Kind.RESOURCE_CENTRE, series__school__contacts=user
    ).distinct()


def is_school_side(user: Any, meeting: Meeting) -> bool:
    """Sees the agenda as the school: descriptions only of items naming no case."""
    return not is_team_member(user, meeting.series.team_id)


def may_record_parents_informed(user: Any, item: AgendaItem) -> bool:
    """Whoever sees the agenda records that the parents were informed (the teacher or the
    coordinator at the school, a professional of the team)."""
    return may_see_agenda(user, item.meeting)


def get_agenda_item(user: Any, pk: int) -> AgendaItem:
    """An agenda item of a meeting whose agenda `user` sees; 404 otherwise (missing or not)."""
    item = (
        AgendaItem.objects.select_related("meeting__series__school", "meeting__series__team")
        .filter(pk=pk)
        .first()
    )
    if item is None or not may_record_parents_informed(user, item):
        raise Http404
    return item
