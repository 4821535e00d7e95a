"""Rules loaded from the versioned data files, and the step shown in lists."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from trappen.cases.models import Case
from trappen.cases.overview import child_step, with_current_step
from trappen.measures.models import Episode
from trappen.rules.models import DeadlineRule, date_deadline_for, deadline_for

from ..conftest import DAILY_COST


def test_deadline_rules_are_loaded_with_their_sources(db):
    sources = set(DeadlineRule.objects.values_list("source", flat=True))
    assert any("Barnets Lov § 20" in s for s in sources)
    assert any("Serviceloven § 50" in s for s in sources)
    received = datetime(2025, 5, 2, 14, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    assert deadline_for("notification_assessment", received) - received == timedelta(hours=24)
    assert date_deadline_for("child_investigation", date(2025, 1, 31)) == date(2025, 5, 31)


def test_list_step_matches_the_core_rule(org):
    today = timezone.localdate()
    case = org.case()
    for step, start, end in [(1, 100, None), (4, 50, None), (5, 200, 10), (5, -5, None)]:
        Episode.objects.create(
            child=case.child,
            case=case,
            intervention=org.intervention(step),
            start_on=today - timedelta(days=start),
            end_on=None if end is None else today - timedelta(days=end),
            daily_cost=DAILY_COST,
            created_by=org.cw1,
        )
    annotated = with_current_step(Case.objects.filter(pk=case.pk)).get()
    assert annotated.current_step == child_step(case.child) == 4
