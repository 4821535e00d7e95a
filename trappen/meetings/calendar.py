"""Meetings as calendar events, for the iCalendar feed and the team calendar page.

Summaries never name a child or carry a CPR number: calendars live outside trappen.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""


def meeting_events(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """The meetings app's own events for `user` between `start` and `end` (inclusive)."""
    return []


def events_for(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """Every meeting `user` takes part in between `start` and `end` (inclusive), sorted."""
    events = meeting_events(user, start, end)
    try:
        from trappen.network.calendar import events_for as network_events
    except ImportError:  # the network app's calendar is built in parallel (F5)
        pass
    else:
        events += network_events(user, start, end)
    return sorted(events, key=lambda e: (e.start, e.uid))
