"""The meeting rules of the model, as plain Python (no Django): priority, deadline, rotation.

KORA 2017, appendix 2 (Herning-modellen 1.0), "Ressourcecentermøder Skoler": teachers submit
at least 14 days before the meeting; the coordinator orders the agenda child, group/class,
school-wide measure, information. "Interne tværfaglige møder": every 14 days, the chair rotates.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

SUBMISSION_DAYS = 14  # a submission reaches a meeting at least this many days before it
INTERNAL_EVERY_DAYS = 14
RESOURCE_CENTRE_MINUTES = 90
# KORA 2017, appendix 2 (Herning-modellen 1.0), "Interne tværfaglige møder": "Varighed 1-1 ½
# time"; 1 hour by default.
INTERNAL_MINUTES = 60
SPARRING_MINUTES = 20

# The appendix's priority: lower comes first.
PRIORITY = {"child": 0, "group": 1, "school_wide": 2, "information": 3}

T = TypeVar("T")


def latest_submission_day(meeting_day: date) -> date:
    return meeting_day - timedelta(days=SUBMISSION_DAYS)


def meeting_for_submission(submitted_on: date, meeting_days: Sequence[date]) -> int | None:
    """Index of the first meeting whose deadline `submitted_on` meets, or None if none does."""
    for i, day in enumerate(sorted(meeting_days)):
        if submitted_on <= latest_submission_day(day):
            return i
    return None


@dataclass(frozen=True)
class Placement:
    """Where a submission lands: `meeting` (index) and whether it missed an earlier one."""

    meeting: int | None
    missed: int | None  # the index of the first upcoming meeting it was too late for


def place_submission(submitted_on: date, meeting_days: Sequence[date]) -> Placement:
    days = sorted(d for d in meeting_days if d >= submitted_on)
    target = meeting_for_submission(submitted_on, days)
    missed = 0 if days and target != 0 else None
    return Placement(target, missed)


@dataclass(frozen=True)
class ItemKey:
    kind: str
    manual_position: int | None
    order: int  # submission order (time or id)


def agenda_sort_key(item: ItemKey) -> tuple[int, int, int, int]:
    """Coordinator-placed items first in their chosen order; the rest by priority, then order."""
    if item.manual_position is not None:
        return (0, item.manual_position, 0, item.order)
    return (1, 0, PRIORITY.get(item.kind, len(PRIORITY)), item.order)


def next_chair(members: Sequence[T], previous: T | None) -> T | None:
    """The member after `previous` in `members`, round the circle; the first when unknown."""
    if not members:
        return None
    if previous is None or previous not in members:
        return members[0]
    return members[(list(members).index(previous) + 1) % len(members)]


def same_weekday_months_later(first: date, months: int) -> date:
    """The same weekday and week of the month `months` later (2nd Tuesday → 2nd Tuesday)."""
    month = first.month - 1 + months
    year, month = first.year + month // 12, month % 12 + 1
    week = min((first.day - 1) // 7, 3)  # a 5th weekday does not exist in every month
    first_of_month = date(year, month, 1)
    offset = (first.weekday() - first_of_month.weekday()) % 7
    return first_of_month + timedelta(days=offset + 7 * week)


def series_days(first: date, until: date, *, every_days: int, monthly: bool) -> list[date]:
    """The dates of a series from `first` to `until` (inclusive)."""
    days: list[date] = []
    n = 0
    while True:
        day = (
            same_weekday_months_later(first, n)
            if monthly
            else first + timedelta(days=every_days * n)
        )
        if day > until:
            return days
        days.append(day)
        n += 1
