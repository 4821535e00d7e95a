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
from trappen.measures.models import INSTITUTION_TYPES, Episode

INSTITUTION = sorted(INSTITUTION_TYPES)[0]


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


# ---- the case page and the home agree for generated cases (F10 point 5) --------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from trappen.investigations.models import ChildInvestigation  # noqa: E402


@st.composite
def generated_cases(draw):
    return {
        "investigation": draw(st.none() | st.integers(-60, 60)),  # its deadline, days from today
        "preliminary": draw(st.booleans()),
        "measures": draw(
            st.lists(
                st.tuples(
                    st.sampled_from([(2, ""), (4, ""), (5, INSTITUTION), (5, "")]),
                    st.integers(1, 200),  # started this many days ago
                    st.booleans(),  # with its exit plan
                ),
                max_size=3,
            )
        ),
    }


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=generated_cases())
def test_the_case_page_and_the_home_agree_for_generated_cases(org, spec):
    today = timezone.localdate()
    case = org.case(org.child(f"{next(_days):02d}0215{next(_serials):04d}"))
    if spec["investigation"] is not None:
        deadline = today + timedelta(days=spec["investigation"])
        ChildInvestigation.objects.create(
            case=case, started_on=deadline - timedelta(days=100), deadline=deadline,
            preliminary_on=today if spec["preliminary"] else None, started_by=org.cw1,
        )  # fmt: skip
    for (step, kind), ago, exit_plan in spec["measures"]:
        intervention = org.intervention(step, kind)
        Episode.objects.create(
            child=case.child, case=case, intervention=intervention,
            start_on=today - timedelta(days=ago), daily_cost=DAILY_COST, created_by=org.cw1,
            planned_discharge_on=today + timedelta(days=30) if exit_plan else None,
            intended_next_step=3 if exit_plan else None,
        )  # fmt: skip
    client = org.client(org.cw1)
    page = client.get(reverse("cases:case", args=[case.pk])).context["deadlines"]
    home = client.get(reverse("dashboards:my_home")).context["cases"]
    [listed] = [c for c in home if c.pk == case.pk]
    assert listed.next_deadline == (page[0] if page else None)
    due = duelist.for_caseworker(org.cw1, today)
    assert open_deadlines([case], [*due.overdue, *due.soon, *due.later])[case.pk] == page
    if any(d.is_overdue() for d in page):
        assert (
            "Ingen åbne frister"
            not in client.get(reverse("cases:case", args=[case.pk])).content.decode()
        )


_days = iter(n % 28 + 1 for n in range(10_000))
_serials = iter(range(1000, 9999))


def test_mine_opfoelgninger_and_the_team_view_show_the_same_overdue_deadlines(org):
    """The due list's "all deadlines" card and the team leader's overdue deadlines: the same
    function's result as the home page's "Næste frist"."""
    case = _overdue_follow_up(org)
    client = org.client(org.cw1)
    [listed] = client.get(reverse("dashboards:my_home")).context["cases"]
    mine = client.get(reverse("followups:my_due"))
    assert [d for d, c in mine.context["all_deadlines"] if c.pk == case.pk][
        0
    ] == listed.next_deadline
    assert "Opfølgning: Test institution" in mine.content.decode()
    team = org.client(org.leader).get(reverse("dashboards:team"))
    [(late_case, late)] = team.context["late_deadlines"]
    assert late_case.pk == case.pk and listed.next_deadline in late
    assert "Opfølgning: Test institution" in team.content.decode()


def test_the_home_shows_barnets_plan_and_the_missing_exit_plan(org):
    """§ 91 and the exit plan reach "Næste frist": an institution placement started 10 days
    ago without a plan or an exit plan is overdue from admission."""
    case = org.case()
    start = timezone.localdate() - timedelta(days=10)
    Episode.objects.create(
        child=case.child, case=case, intervention=org.intervention(5, INSTITUTION),
        start_on=start, daily_cost=DAILY_COST, created_by=org.cw1,
    )  # fmt: skip
    [listed] = org.client(org.cw1).get(reverse("dashboards:my_home")).context["cases"]
    found = open_deadlines([case], [])[case.pk]
    assert any(d.kind == "exit_plan" and d.due == start for d in found)
    assert listed.next_deadline.is_overdue()
