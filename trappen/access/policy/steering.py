"""The aggregated steering pages, the evaluation report and its Excel workbook: key figures
only, never case content."""

from typing import Any

from trappen.organisation.models import Profession

from .base import active

STEERING_PROFESSIONS = {Profession.ANALYST, Profession.TEAM_LEADER, Profession.ADMINISTRATOR}


def may_view_steering(user: Any) -> bool:
    if not active(user):
        return False
    return bool(user.is_superuser) or user.profession in STEERING_PROFESSIONS
