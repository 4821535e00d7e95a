"""What every part of the policy shares: the actions, the professions' groups, small predicates.

Nothing outside `trappen.access.policy` reads a user's profession or team to decide access;
it asks the functions the package exports (tests/f6/test_policy.py enforces this).
"""

from datetime import date
from enum import StrEnum
from typing import Any

from django.utils import timezone

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
    APPROVE_EXCEPTION = "approve_exception"  # approve or withdraw a follow-up exception
    RECORD_ACTIVITY = "record_activity"  # a profession records its own work on the case


# The actions that change something: none of them may rest on break-the-glass.
WRITES = frozenset(Action) - {Action.VIEW}


def active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_leader_of(user: Any, team: Team | int | None) -> bool:
    """Is `user` today the team leader of `team` (a team or its pk)?"""
    team_id = team.pk if isinstance(team, Team) else team
    return (
        active(user)
        and team_id is not None
        and user.profession == Profession.TEAM_LEADER
        and user.team_id == team_id
    )


def is_team_leader(user: Any) -> bool:
    """Is `user` a team leader (of any team)?"""
    return active(user) and user.profession == Profession.TEAM_LEADER and user.team_id is not None


def reads_team(user: Any, team_id: int | None) -> bool:
    return team_id is not None and user.profession in TEAM_READERS and user.team_id == team_id


def today() -> date:
    return timezone.localdate()
