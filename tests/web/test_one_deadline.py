"""F10 point 5: one function gives a case's open deadlines, and the case page and "Mit
overblik" show its result: a case with an overdue follow-up no longer says "Ingen åbne
frister" on its own page nor "Næste frist –" on the home page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import DAILY_COST
from trappen.casefile.deadlines import open_deadlines
from trappen.catalogue.models import Intervention
from trappen.followups import duelist
from trappen.measures.models import Episode


def _overdue_follow_up(org):
    case = org.case()
    Episode.objects.create(
        child=case.child,
        case=case,
        intervention=Intervention.objects.create(
            name="Test institution", step_id=5, cadence_category="institution"
        ),
        start_on=timezone.localdate() - timedelta(days=70),  # nothing held: overdue
        daily_cost=DAILY_COST,
        created_by=org.cw1,
    )
    return case


def test_the_case_page_and_the_home_page_show_the_same_overdue_follow_up(org):
    case = _overdue_follow_up(org)
    client = org.client(org.cw1)
    page = client.get(reverse("cases:case", args=[case.pk]))
    shown = page.context["deadlines"]
    assert shown and shown[0].is_overdue() and "Test institution" in shown[0].label
    assert "Ingen åbne frister" not in page.content.decode()
    home = client.get(reverse("dashboards:my_home"))
    [listed] = home.context["cases"]
    assert listed.next_deadline == shown[0]  # the same deadline, from the same function
    html = home.content.decode()
    assert shown[0].label in html


def test_the_function_is_the_one_both_pages_use(org):
    case = _overdue_follow_up(org)
    due = duelist.for_caseworker(org.cw1, timezone.localdate())
    found = open_deadlines([case], [*due.overdue, *due.soon, *due.later])
    assert [d.label for d in found[case.pk]] == ["Opfølgning: Test institution"]
    assert found[case.pk][0].is_overdue()


def test_the_home_page_says_whose_notifications_it_lists(org):
    org.case()
    html = org.client(org.cw1).get(reverse("dashboards:my_home")).content.decode()
    assert "Team Nord: underretninger, der venter på 24-timers-vurderingen" in html
    assert "ikke kun dine" in html
