"""Meetings as calendar events, for the iCalendar feed (through trappen.casefile.calendar) and
the team calendar page.

Summaries never name a child or carry a CPR number: calendars live outside trappen.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.casefile import calendar
from trappen.casefile.calendar import CalendarEvent

from .models import Meeting


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


@calendar.source
def meeting_events(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """The meetings `user` takes part in between `start` and `end` (inclusive), as the policy
    counts them: a member moved to another team loses the old team's."""
    meetings = (
        policy.attended_meetings(user)
        .filter(starts_at__range=_range(start, end))
        .select_related("series__team", "series__school")
    )
    return [event_of(m) for m in meetings]
