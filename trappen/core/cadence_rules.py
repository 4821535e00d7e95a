"""Cadence rules as data: parse the rule files' schedules into core.cadence.Schedule."""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from trappen.core.cadence import Interval, Repeat, Schedule
from trappen.core.deadlines import Unit

UNITS = {"d": Unit.DAYS, "w": Unit.WEEKS, "m": Unit.MONTHS}
REFERENCE = date(2001, 1, 31)  # a month-end start: the hardest case for comparing intervals
INTERVAL = re.compile(r"\A(-?\d+)([dwm])\Z")


class RuleError(ValueError):
    """A rule that cannot be used; the message says what is wrong, for the admin user."""


def parse_interval(text: str) -> Interval:
    match = INTERVAL.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise RuleError(f"{text!r} is not an interval like '2w', '3m' or '10d'")
    amount = int(match.group(1))
    if amount <= 0:
        raise RuleError(f"{text!r}: an interval must be positive")
    return Interval(amount, UNITS[match.group(2)])


def format_interval(interval: Interval) -> str:
    letter = {v: k for k, v in UNITS.items()}[interval.unit]
    return f"{interval.amount}{letter}"


def schedule_from_dict(data: Mapping[str, Any]) -> Schedule:
    unknown = set(data) - {"milestones", "repeats", "status_at", "ends_after", "reports_at"}
    if unknown:
        raise RuleError(f"unknown keys: {', '.join(sorted(unknown))}")
    try:
        repeats = tuple(
            Repeat(
                parse_interval(r["every"]),
                parse_interval(r["until"]) if r.get("until") else None,
            )
            for r in data.get("repeats", [])
        )
        milestones = tuple(parse_interval(m) for m in data.get("milestones", []))
        starts = [m.after(REFERENCE) for m in milestones]
        if starts != sorted(set(starts)):
            raise RuleError("milestones must be in increasing order")
        return Schedule(
            milestones=milestones,
            repeats=repeats,
            status_at=tuple(parse_interval(s) for s in data.get("status_at", [])),
            ends_after=parse_interval(data["ends_after"]) if data.get("ends_after") else None,
            reports_at=tuple(parse_interval(s) for s in data.get("reports_at", [])),
        )
    except (KeyError, TypeError) as error:
        raise RuleError(f"malformed repeat: {error}") from None
    except ValueError as error:
        if isinstance(error, RuleError):
            raise
        raise RuleError(str(error)) from None
