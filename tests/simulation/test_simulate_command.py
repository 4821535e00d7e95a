"""`trappen simulate` on a small database and on an interchange folder (F13 points 7-8)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trappen.cases.models import Case
from trappen.measures.models import Episode

HERNING = Path("trappen/core/simulation/scenarios/herning-model.toml")


def place(org, cpr, district, step, placement_type, start, end=None):
    child = org.child(cpr, district=district)
    worker = org.cw1 if district == org.d_north else org.cw_south
    case = Case.objects.create(
        child=child, team=worker.team, caseworker=worker, opened_on=date(2013, 1, 1)
    )
    return Episode.objects.create(
        child=child,
        case=case,
        intervention=org.intervention(step, placement_type),
        start_on=start,
        end_on=end,
        daily_cost=Decimal("1000.00"),
        created_by=worker,
    )


@pytest.fixture
def municipality(org):
    """Four children of each group on the staircase from 2013, some of them moving."""
    for i, (step, kind, end) in enumerate(
        [
            (5, "residential_institution", date(2014, 6, 1)),
            (4, "foster_ordinary", None),
            (3, "foster_network", date(2015, 3, 1)),
            (2, "", None),
        ]
    ):
        place(org, f"01011{i}1234", org.d_north, step, kind, date(2013, 1, 1), end)
        place(org, f"02021{i}1234", org.d_south, step, kind, date(2013, 2, 1), end)
    return org


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("simulate", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_simulate_prints_a_table_a_year_and_the_break_even(municipality, tmp_path):
    text = run(
        "--scenario", str(HERNING), "--years", "5", "--runs", "500", "--seed", "1",
        "--estimate-from", "2013-01-01", "--estimate-to", "2014-12-31",
    )  # fmt: skip
    assert "Scenario: Herningmodellen" in text
    for year in range(1, 6):
        assert f"Year {year} (" in text
    assert "net saving" in text
    assert "Break-even" in text


@pytest.mark.django_db
def test_simulate_json_is_repeatable_with_a_seed(municipality):
    args = (
        "--scenario", str(HERNING), "--years", "2", "--runs", "300", "--seed", "3", "--json",
        "--estimate-from", "2013-01-01", "--estimate-to", "2014-12-31",
    )  # fmt: skip
    first = json.loads(run(*args))
    assert first == json.loads(run(*args))
    assert len(first["years"]) == 2
    assert first["runs"] == 300
    assert first["scenario"]["investment"]["caseload_target"] == 25
    assert set(first["years"][0]["net_saving"]) == {"median", "low", "high", "mean"}


@pytest.mark.django_db
def test_backtest_prints_the_error_against_2015(municipality):
    text = run("--backtest", "--runs", "200")
    assert "forecast 2015-01-01 – 2015-12-31" in text
    assert "error" in text and "inside" in text
    result = json.loads(run("--backtest", "--runs", "200", "--json"))
    total = result["placed_aarsboern"]["total"]
    assert total["error"] == pytest.approx(total["forecast"] - total["real"], abs=1e-2)


@pytest.mark.django_db
def test_a_bad_scenario_file_is_refused(municipality, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name="x"\nsource="y"\nassumptions=["z"]\n[changes]\nfaster_steps_down=2\n')
    with pytest.raises(CommandError, match="outside 0-1"):
        run("--scenario", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        run("--scenario", str(tmp_path / "missing.toml"))
    with pytest.raises(CommandError, match="--years must be 1-10"):
        run("--scenario", str(HERNING), "--years", "11")
    with pytest.raises(CommandError, match="Give --scenario"):
        run()
    # The backtest forecasts today's rates: a scenario given with it would silently be unused.
    with pytest.raises(CommandError, match="leave out --scenario"):
        run("--backtest", "--scenario", str(HERNING))
