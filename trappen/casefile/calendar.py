"""Every app's calendar events in one place, for the iCalendar feed.

An app registers its source in its `calendar.py`:

    @calendar.source
    def events_for(user: User, start: date, end: date) -> list[CalendarEvent]: ...

Summaries never name a child or carry a CPR number: calendars live outside trappen.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .registry import S


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""


Source = Callable[[Any, date, date], Iterable[CalendarEvent]]
_sources: dict[str, Source] = {}


def source(fn: S) -> S:
    _sources[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def events_for(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """Every event of `user` between `start` and `end` (inclusive), from every app, sorted."""
    events = [e for fn in _sources.values() for e in fn(user, start, end)]
    return sorted(events, key=lambda e: (e.start, e.uid))
