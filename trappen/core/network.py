"""The network meeting's rules, without Django: who is listed first, and the response aim.

KORA 2017, appendix 2 (Herning-modellen 1.0), "Netværksmøder og inddragende netværksmøder":
the invitation lists the participants by role and name with the child and the parents first; a
meeting should be called within one week of the concern.
"""

from datetime import date

# The appendix's aim: called within a week of the concern.
AIM_DAYS = 7

# Listing order of the invitation's participants (the template's own order).
ROLE_ORDER = (
    "child",
    "parent",
    "network",
    "school",
    "day_care",
    "psychologist",
    "caseworker",
    "health_visitor",
    "other",
)


def role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def days_to_meeting(concern_on: date, meeting_on: date) -> int:
    """Days from the concern to the meeting (0: the same day)."""
    return (meeting_on - concern_on).days


def within_aim(concern_on: date, meeting_on: date) -> bool:
    return days_to_meeting(concern_on, meeting_on) <= AIM_DAYS
