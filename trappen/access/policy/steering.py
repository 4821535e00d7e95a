"""The aggregated steering pages, the evaluation report and its Excel workbook: key figures
only, never case content."""

from typing import Any

from django.db.models import QuerySet

from trappen.cases.models import Case
from trappen.organisation.models import Profession

from .base import active

STEERING_PROFESSIONS = {Profession.ANALYST, Profession.TEAM_LEADER, Profession.ADMINISTRATOR}


def may_view_steering(user: Any) -> bool:
    if not active(user):
        return False
    return bool(user.is_superuser) or user.profession in STEERING_PROFESSIONS


def aggregate_open_cases(user: Any) -> QuerySet[Case]:
    """The open cases a steering figure counts (the programme's targets: follow-ups on time):
    every open case for a user who may view the steering, none for anyone else. Only counts
    leave it; no row of it is shown."""
    if not may_view_steering(user):
        return Case.objects.none()
    return Case.objects.exclude(status=Case.Status.CLOSED)


# Who enters the business case's plan and imports the booked accounts: the analyst (the
# economist of the steering) and the team leaders; administrators and other staff see no
# steering at all or only read it.
BUSINESS_CASE_EDITORS = {Profession.ANALYST, Profession.TEAM_LEADER}


def may_edit_business_case(user: Any) -> bool:
    if not may_view_steering(user):
        return False
    return bool(user.is_superuser) or user.profession in BUSINESS_CASE_EDITORS
