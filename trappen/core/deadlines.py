"""Deadlines from rules held as data: an amount of a unit after a start, valid for a period."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    WORKING_DAYS = "workdays"  # Monday to Friday; public holidays are not skipped


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    amount: int
    unit: Unit
    valid_from: date
    valid_to: date | None = None  # inclusive; None: still in force

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class NoRuleInForce(LookupError):
    pass


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def add_working_days(day: date, days: int) -> date:
    """`days` working days (Monday-Friday) after `day`. Public holidays count as working days,
    so the deadline is never later than the law's (the safe side)."""
    if days < 0:
        raise ValueError("working days must not be negative")
    moved, rest = day, days
    while rest:
        moved += timedelta(days=1)
        if moved.weekday() < 5:
            rest -= 1
    return moved


def add(start: datetime, amount: int, unit: Unit) -> datetime:
    if unit is Unit.HOURS:
        # Elapsed hours, not wall-clock: 24 hours across a DST change is still 24 hours.
        if start.tzinfo is None:
            return start + timedelta(hours=amount)
        return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(start.tzinfo)
    if unit is Unit.DAYS:
        return start + timedelta(days=amount)
    if unit is Unit.WEEKS:
        return start + timedelta(weeks=amount)
    if unit is Unit.WORKING_DAYS:
        later = add_working_days(start.date(), amount)
        return start.replace(year=later.year, month=later.month, day=later.day)
    moved = add_months(start.date(), amount)
    return start.replace(year=moved.year, month=moved.month, day=moved.day)


def rule_in_force(rules: Iterable[DeadlineRule], key: str, on: date) -> DeadlineRule:
    matching = [r for r in rules if r.key == key and r.in_force(on)]
    if not matching:
        raise NoRuleInForce(f"no rule {key!r} in force on {on.isoformat()}")
    return max(matching, key=lambda r: r.valid_from)


def deadline(rules: Iterable[DeadlineRule], key: str, start: datetime) -> datetime:
    """The deadline for `key` counted from `start`, by the rule in force on the start date."""
    rule = rule_in_force(rules, key, start.date())
    return add(start, rule.amount, rule.unit)
