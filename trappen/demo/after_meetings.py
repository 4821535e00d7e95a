"""The demo's steps after a meeting and after a complaint (F8 points 7-8), laid over the demo's
meetings and complaints:

- resource-centre meetings held in the last 90 days: the teacher who asked for an item about a
  child called the parents on the meeting's day (Herningmodellen 1.0, "Efter mødet"), except on the
  most recent meeting of each school, which still shows the step as open; the coordinator sent the
  decision minutes to the participants the day after the meeting, each recipient recorded;
- complaints the municipality sent on to Ankestyrelsen 10 days or more ago: Ankestyrelsen's
  ruling, alternately sent back (hjemvist) and upheld (stadfæstet).

Through the services (the same checks as the pages); no random numbers of its own.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from trappen.cases import services as case_services
from trappen.cases.models import Complaint
from trappen.meetings import services as meeting_services
from trappen.meetings.models import Meeting, MinutesRecipient, Series

RECENT_DAYS = 90
RULINGS = (Complaint.Ruling.SENT_BACK, Complaint.Ruling.UPHELD)


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    del seed  # deterministic without random draws
    with transaction.atomic():
        calls, sent = _meetings(today)
        rulings = _rulings(today)
    log(
        f"After meetings: {calls} calls to parents, minutes sent to {sent} participants; "
        f"{rulings} rulings of Ankestyrelsen"
    )


def _meetings(today: date) -> tuple[int, int]:
    since = timezone.make_aware(datetime.combine(today - timedelta(days=RECENT_DAYS), time.min))
    until = timezone.make_aware(datetime.combine(today, time.min))
    meetings = list(
        Meeting.objects.filter(
            series__kind=Series.Kind.RESOURCE_CENTRE,
            starts_at__gte=since,
            starts_at__lt=until,
            held_at__isnull=False,
        )
        .exclude(minutes="")
        .select_related("series__coordinator", "series__team")
        .order_by("series_id", "starts_at", "pk")
    )
    latest = {m.series_id: m.pk for m in meetings}  # the last held meeting of each series
    calls = sent = 0
    for meeting in meetings:
        sender = meeting.series.coordinator or meeting.series.team.leaders().first()
        if sender is None:
            continue
        if latest[meeting.series_id] != meeting.pk:
            for item in meeting.items.filter(kind="child").select_related(
                "submission__submitted_by", "meeting"
            ):
                teacher = item.submission.submitted_by if item.submission else sender
                meeting_services.record_parents_called(
                    item,
                    on=meeting.day,
                    by=teacher,
                    note="Forældrene er orienteret om anbefalingerne og næste mødedato.",
                )
                calls += 1
        recipients = meeting_services.send_minutes(meeting, by=sender)
        # Sent the day after the meeting, not at the demo's build time.
        MinutesRecipient.objects.filter(pk__in=[r.pk for r in recipients]).update(
            sent_at=meeting.ends_at + timedelta(days=1)
        )
        sent += len(recipients)
    return calls, sent


def _rulings(today: date) -> int:
    complaints = Complaint.objects.filter(
        outcome=Complaint.Outcome.SENT_ON,
        outcome_on__lte=today - timedelta(days=10),
        ruling="",
    ).order_by("pk")
    done = 0
    for n, complaint in enumerate(complaints):
        assert complaint.outcome_on is not None  # filtered above
        case_services.record_complaint_outcome(
            complaint,
            outcome=complaint.outcome,
            outcome_on=complaint.outcome_on,
            ruling=RULINGS[n % len(RULINGS)],
            ruling_on=min(today, complaint.outcome_on + timedelta(days=8)),
        )
        done += 1
    return done
