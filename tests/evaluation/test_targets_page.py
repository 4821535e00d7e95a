"""The programme's targets on the steering page and in the home-page slot."""

from datetime import date

from django.urls import reverse

from trappen.core.kpi import Period
from trappen.evaluation import limits
from trappen.evaluation.figures import Query
from trappen.evaluation.targets import board, values_of

YEAR = {"start": "2015-01-01", "end": "2015-12-31", "group_by": "group"}
COMPARE = {**YEAR, "compare_start": "2014-01-01", "compare_end": "2014-12-31"}


def test_the_steering_page_shows_the_targets_per_group(placed):
    html = placed.client(placed.analyst).get(reverse("evaluation:index"), YEAR).content.decode()
    assert 'id="targets-heading"' in html
    # Pilot: one child in family care (100 %, green); Øvrige: one in an institution (0 %, red).
    assert '<span class="flag green">100 %</span>' in html
    assert '<span class="flag red">0 %</span>' in html
    # Follow-ups on time come from today's due lists: not for a past period; no SDQ yet.
    assert "No data yet" in html or "Ingen data endnu" in html


def test_family_care_share_per_group(placed):
    figures = limits.figures_for(Query(Period(date(2015, 1, 1), date(2015, 12, 31))))
    shown = board(figures.after)
    row = next(r for r in shown.rows if r.target.key == "family_care_share")
    assert dict((n, r.value) for n, r in row.groups) == {"Pilot": 1.0, "Øvrige": 0.0}
    # 1 årsbarn in family care, 181/365 in an institution: 67 %, yellow (65-75 %).
    assert row.total.value == values_of(figures.after.total)["family_care_share"]
    assert round(row.total.value, 3) == round(1 / (1 + 181 / 365), 3)
    assert row.light == "yellow"


def test_the_trend_against_the_comparison_period(placed):
    html = placed.client(placed.analyst).get(reverse("evaluation:index"), COMPARE).content.decode()
    assert "targets-heading" in html


def _render(org, user):
    """The home pages' targets slot as the page loads it (htmx, dashboards:targets)."""
    response = org.client(user).get(reverse("dashboards:targets"), headers={"HX-Request": "true"})
    return response.content.decode()


def test_the_home_slot_for_a_leader_and_an_analyst(placed):
    for who in (placed.leader, placed.analyst):
        html = _render(placed, who)
        assert 'id="targets-heading"' in html
        assert "Barnesen" not in html  # counts and shares only, never a name


def test_the_home_slot_is_empty_for_a_caseworker(placed):
    assert _render(placed, placed.cw1).strip() == ""


def test_sdq_coverage_without_the_wellbeing_figures_is_not_measured(placed):
    figures = limits.figures_for(Query(Period(date(2015, 1, 1), date(2015, 12, 31))))
    row = next(r for r in board(figures.after).rows if r.target.key == "sdq_coverage")
    assert row.total.value is None and row.light == "unmeasured"
