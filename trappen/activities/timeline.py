"""All the work on a case in date order: the case's own history (journal, follow-ups,
measures, ...) with the network meetings and the professions' activities, newest first."""

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.cases.timeline import Event, events


def _day(d: date) -> datetime:
    # As the case timeline: date-only events sort after timed events of the same day.
    return timezone.make_aware(datetime.combine(d, time(23, 59)))


def network_events(case: Case) -> list[Event]:
    out: list[Event] = []
    for m in case.network_meetings.all():
        days = _("%(days)s days after the concern") % {"days": m.days_from_concern}
        out.append(
            Event(
                m.starts_at,
                m.get_kind_display(),
                m.place,
                f"{m.concern}\n{days}",
                actor=m.chair,
                url=reverse("network:invitation", args=[m.pk]),
            )
        )
        if m.minutes_written_at:
            out.append(
                Event(
                    m.minutes_written_at,
                    _("Minutes"),
                    m.get_kind_display(),
                    m.agreements,
                    actor=m.note_taker,
                    url=reverse("network:minutes", args=[m.pk]),
                )
            )
    return out


def activity_events(case: Case) -> list[Event]:
    return [
        Event(
            _day(a.held_on),
            _("Activity"),
            str(a),
            a.note,
            actor=str(a.recorded_by),
            all_day=True,
        )
        for a in case.activities.select_related("recorded_by")
    ]


def work_events(case: Case) -> list[Event]:
    out = events(case) + network_events(case) + activity_events(case)
    return sorted(out, key=lambda e: e.at, reverse=True)
