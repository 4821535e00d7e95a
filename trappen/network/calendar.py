"""Network meetings as calendar events (joined into trappen.casefile.calendar.events_for).

The summary names the kind of meeting only: calendars live outside trappen, so no child's
name or CPR number goes into them.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from trappen.access.policy import network as network_policy
from trappen.casefile import calendar
from trappen.casefile.calendar import CalendarEvent

from .models import NetworkMeeting


@calendar.source
def events_for(user: Any, start: date, end: date) -> list[CalendarEvent]:
    """Meetings between `start` and `end` (inclusive) that `user` called, takes part in or
    whose case `user` owns, as the policy counts them."""
    if not getattr(user, "is_authenticated", False):
        return []
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tz)
    meetings = (
        network_policy.calendar_network_meetings(user)
        .filter(starts_at__gte=since, starts_at__lt=until)
        .order_by("starts_at", "pk")
    )
    labels = dict(NetworkMeeting.Kind.choices)
    return [
        CalendarEvent(
            uid=f"network-meeting-{m.pk}@trappen",
            start=m.starts_at,
            end=m.ends_at,
            summary=str(labels[m.kind]),
            location=m.place,
        )
        for m in meetings
    ]
