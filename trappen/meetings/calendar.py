"""Meetings as calendar events, for the iCalendar feed and the team calendar page.

Summaries never name a child or carry a CPR number: calendars live outside trappen.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy

from .models import Meeting


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""


def _range(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def event_of(meeting: Meeting) -> CalendarEvent:
    """A meeting as an event: its kind and the team or school, never a child."""
    series = meeting.series
    if series.is_internal:
        summary = _("Internal meeting, %(team)s") % {"team": series.team.name}
    else:
        summary = _("Resource-centre meeting, %(school)s") % {"school": series.school}
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}",
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=summary,
        location=meeting.place,
    )


def team_events(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """Every meeting of the user's team between `start` and `end` (the team calendar)."""
    meetings = (
        policy.visible_meetings(user)
        .filter(starts_at__range=_range(start, end))
        .select_related("series__team", "series__school")
    )
    return [event_of(m) for m in meetings]


def meeting_events(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """The meetings `user` takes part in between `start` and `end` (inclusive), as the policy
    counts them: a member moved to another team loses the old team's."""
    meetings = (
        policy.attended_meetings(user)
        .filter(starts_at__range=_range(start, end))
        .select_related("series__team", "series__school")
    )
    return [event_of(m) for m in meetings]


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
