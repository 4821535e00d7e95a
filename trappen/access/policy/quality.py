"""Complaints and the handover of cases inside a team (F8 point 8).

- complaints: the caseworkers and the team leader of the case's team register a complaint on
  the case and record its outcome (also on a closed case: a complaint may come after it);
  psychologists, health visitors, break-the-glass and other teams never.
- handover: only the team leader of the team moves cases between its caseworkers; the cases
  offered are the team's open cases the leader may read, the caseworkers those of the team.
- the quality figures on the team page (counts only): the team's members.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from trappen.cases.models import Case, Complaint
from trappen.organisation.models import Team, User

from .base import active, is_leader_of, reads_team
from .cases import get_case_of, team_open_cases


def may_register_complaint(user: Any, case: Case) -> bool:
    return active(user) and reads_team(user, case.team_id)


def get_complaint(user: Any, pk: Any) -> Complaint:
    """The complaint if `user` may record its outcome: 404 when its case is not visible, 403
    when it is but the user may not register complaints on it. The case read is audited."""
    complaint = get_case_of(user, Complaint, pk, select_related=("team",))
    if not may_register_complaint(user, complaint.case):  # type: ignore[arg-type]
        raise PermissionDenied
    return complaint


def may_hand_over(user: Any, team: Team | int | None) -> bool:
    return is_leader_of(user, team)


def require_hand_over(user: Any) -> Team:
    """The team whose cases `user` may hand over (their own, as its leader); else 403."""
    team = getattr(user, "team", None)
    if team is None or not may_hand_over(user, team):
        raise PermissionDenied
    return team


def handover_cases(user: Any, team: Team, from_caseworker: User | None) -> QuerySet[Case]:
    """The open cases of `team` the leader may move, of `from_caseworker` when given."""
    if not may_hand_over(user, team):
        return Case.objects.none()
    cases = team_open_cases(user, team)
    if from_caseworker is not None:
        cases = cases.filter(caseworker=from_caseworker)
    return cases


def handover_caseworkers(user: Any, team: Team) -> QuerySet[User]:
    """Who the leader may hand cases to: the team's active caseworkers."""
    if not may_hand_over(user, team):
        return User.objects.none()
    return team.caseworkers().order_by("first_name", "last_name", "pk")


def handover_sources(user: Any, team: Team) -> QuerySet[User]:
    """Who the leader may hand cases from: whoever holds an open case of the team, also a
    caseworker who has left or been deactivated (resignation)."""
    holders = handover_cases(user, team, None).values("caseworker_id")
    return User.objects.filter(pk__in=holders).order_by("first_name", "last_name", "pk")


def may_see_team_quality(user: Any, team: Team | int | None) -> bool:
    """The team's own quality counts on the team page: its caseworkers and its leader."""
    team_id = team.pk if isinstance(team, Team) else team
    return active(user) and reads_team(user, team_id)
