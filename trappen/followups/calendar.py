"""The caseworker's iCalendar feed: due follow-ups and investigation deadlines.

Events name the case number and the kind of deadline only: calendars live outside trappen, so
no child's name or CPR number goes into them.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.casefile.calendar import events_for as meeting_events
from trappen.core import ical
from trappen.investigations.models import ChildInvestigation
from trappen.organisation.models import User

from .duelist import list_episodes, summary_rows
from .schedule import Rules


def _escape(text: str) -> str:
    return ical.escape_text(text)  # RFC 5545 TEXT: every line break, control characters


def _event(uid: str, day: date, summary: str, stamp: datetime) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}@trappen",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        "END:VEVENT",
    ]


def feed_for(user: User, today: date) -> str:
    stamp = datetime.now(tz=UTC)
    cases = policy.own_open_cases(user)  # the policy decides, as on the due list
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//trappen//follow-ups//DA",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(_('trappen: my deadlines'))}",
    ]
    for row in summary_rows(list_episodes(cases, today), today, Rules.load()):
        due = row.plans.next_due
        if due is not None:
            summary = _("Follow-up, case %(case)s") % {"case": row.case.pk}
            lines += _event(f"followup-{row.episode.pk}-{due:%Y%m%d}", due, summary, stamp)
        if row.next_agreed and row.next_agreed >= today:
            summary = _("Agreed follow-up, case %(case)s") % {"case": row.case.pk}
            lines += _event(f"agreed-{row.episode.pk}", row.next_agreed, summary, stamp)
    investigations = policy.visible_of(user, ChildInvestigation).filter(case__in=cases)
    for inv in investigations.filter(completed_on__isnull=True, deadline__isnull=False):
        summary = _("Child investigation deadline, case %(case)s") % {"case": inv.case_id}
        if inv.deadline is not None:  # always: filtered above
            lines += _event(f"investigation-{inv.pk}", inv.deadline, summary, stamp)
    for meeting in meeting_events(user, today - timedelta(days=30), today + timedelta(days=365)):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting.uid}@trappen",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART:{meeting.start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{meeting.end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{_escape(meeting.summary)}",
            *([f"LOCATION:{_escape(meeting.location)}"] if meeting.location else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ical.calendar(lines)  # each line folded at 75 octets
