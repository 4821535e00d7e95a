"""The key figures through the API: the steering page's figures, from the same function and
cache, for the same people (policy.may_view_steering) and with the token's scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from trappen.api.models import Scope
from trappen.audit.models import AuditAction
from trappen.cases.models import Case
from trappen.measures.models import Episode

from .conftest import entries_since, last_pk

pytestmark = pytest.mark.django_db

YEAR = {"start": "2015-01-01", "end": "2015-12-31", "group_by": "group"}


def place(org, cpr, district, step, placement_type, start, end=None):
    child = org.child(cpr, district=district)
    worker = org.cw1 if district == org.d_north else org.cw_south
    case = Case.objects.create(
        child=child, team=worker.team, caseworker=worker, opened_on=date(2014, 1, 1)
    )
    Episode.objects.create(
        child=child,
        case=case,
        intervention=org.intervention(step, placement_type),
        start_on=start,
        end_on=end,
        daily_cost=Decimal("1000.00"),
        created_by=worker,
    )


@pytest.fixture
def placed(org):
    """Pilot: a child in an ordinary foster family all of 2015. Øvrige: a child at a
    residential institution for its first half."""
    place(org, "0101101234", org.d_north, 4, "foster_ordinary", date(2015, 1, 1))
    place(
        org, "0202101234", org.d_south, 5, "residential_institution", date(2015, 1, 1),
        date(2015, 7, 1),
    )  # fmt: skip
    return org


def test_the_api_gives_the_steering_page_figures(placed, api_for):
    page = placed.client(placed.analyst).get(reverse("evaluation:index"), YEAR)
    after = page.context["figures"].after.as_dict()
    response = api_for(placed.analyst, Scope.READ_STEERING).get("steering/figures", **YEAR)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["period"] == {"start": "2015-01-01", "end": "2015-12-31", "days": 365}
    assert data["group_by"] == "group"
    groups = {g["name"]: g for g in data["groups"]}
    assert set(groups) == {"Pilot", "Øvrige"}
    for name, figures in [*after["groups"].items(), ("total", after["total"])]:
        got = groups[name] if name != "total" else data["total"]
        assert got["placed_aarsboern"] == figures["placed_aarsboern"]["total"]
        assert got["spending"] == figures["spending"]["total"]
        assert got["placed_children"] == figures["placed_children"]["total"]
        assert got["unit_cost"] == figures["unit_cost"]["total"]
        for category, value in got["aarsboern_by_category"].items():
            assert value == figures["placed_aarsboern"][category]
    assert groups["Pilot"]["placed_aarsboern"] == 1.0
    assert groups["Pilot"]["spending"] == 365_000.0
    assert groups["Øvrige"]["placed_aarsboern"] == round(181 / 365, 6)
    assert data["total"]["placed_children"] == 2


def test_the_api_takes_the_figures_from_the_page_cache(placed, api_for, monkeypatch):
    placed.client(placed.analyst).get(reverse("evaluation:index"), YEAR)

    def no_second_computation(*args, **kwargs):
        raise AssertionError("computed again instead of taken from the shared cache")

    monkeypatch.setattr("trappen.evaluation.limits.compute", no_second_computation)
    response = api_for(placed.leader, Scope.READ_STEERING).get("steering/figures", **YEAR)
    assert response.status_code == 200
    assert response.json()["total"]["placed_children"] == 2


def test_the_default_period_is_the_page_default(placed, api_for):
    response = api_for(placed.analyst, Scope.READ_STEERING).get("steering/figures")
    assert response.status_code == 200
    assert response.json()["period"]["start"].endswith("-01-01")


def test_the_page_checks_of_the_period_apply(placed, api_for):
    api = api_for(placed.analyst, Scope.READ_STEERING)
    backwards = api.get("steering/figures", start="2015-12-31", end="2015-01-01")
    assert backwards.status_code == 400
    assert "end" in backwards.json()["detail"]
    assert api.get("steering/figures", start="1986-01-01", end="2020-12-31").status_code == 400
    assert api.get("steering/figures", start="not a date").status_code == 400
    assert api.get("steering/figures", group_by="child").status_code == 422


def test_a_caseworker_may_not_see_the_steering_even_with_the_scope(placed, api_for):
    before = last_pk()
    response = api_for(placed.cw1, Scope.READ_STEERING).get("steering/figures", **YEAR)
    assert response.status_code == 403
    [entry] = entries_since(before)
    assert (entry.action, entry.detail["refused"], entry.actor) == (
        AuditAction.READ,
        "policy",
        placed.cw1,
    )


def test_the_figures_need_the_steering_scope(placed, api_for):
    before = last_pk()
    response = api_for(placed.analyst, Scope.READ_CASES).get("steering/figures", **YEAR)
    assert response.status_code == 403
    [entry] = entries_since(before)
    assert (entry.detail["refused"], entry.detail["scope"]) == ("scope", "read:steering")


def test_a_successful_call_reads_no_case(placed, api_for):
    before = last_pk()
    api_for(placed.analyst, Scope.READ_STEERING).get("steering/figures", **YEAR)
    assert entries_since(before, AuditAction.READ) == []
