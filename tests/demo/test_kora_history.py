"""The demo's 2012-2016 history reproduces the published tables of KORA 2017."""

import json
from datetime import date
from importlib import resources

import pytest

from trappen.core.kpi import Period, evaluate
from trappen.demo.kora import check, history

DISTRICTS = {"pilot": ["P1", "P2", "P3", "P4"], "other": ["O1", "O2", "O3", "O4", "O5"]}


@pytest.fixture(scope="module")
def dataset():
    return history.build(2026, DISTRICTS)


def test_every_published_cell_is_reproduced_within_rounding(dataset):
    cells = check.reproduce(lambda p, g: evaluate(dataset, Period(*p), group_by=g).as_dict())
    tables = {c.table for c in cells}
    assert tables == {"2.1", "2.2", "2.3", "2.5", "2.6", "3.1", "3.2", "4.1"}
    off = [str(c) for c in cells if not c.ok]
    assert not off, "\n".join(off)


def test_another_seed_gives_other_children_but_the_same_tables():
    other = history.build(7, DISTRICTS)
    cells = check.reproduce(lambda p, g: evaluate(other, Period(*p), group_by=g).as_dict())
    assert all(c.ok for c in cells)


def test_the_history_is_repeatable(dataset):
    again = history.build(2026, DISTRICTS)
    assert again.episodes.equals(dataset.episodes)
    assert again.cases.equals(dataset.cases)


def test_pilot_institution_placements_fall_and_children_move_down(dataset):
    before = evaluate(dataset, Period(date(2013, 8, 1), date(2013, 8, 31))).as_dict()["groups"][
        "Pilot"
    ]
    after = evaluate(dataset, Period(date(2015, 12, 1), date(2015, 12, 31))).as_dict()["groups"][
        "Pilot"
    ]
    assert after["placed_aarsboern"]["institution"] < before["placed_aarsboern"]["institution"]
    moves = evaluate(dataset, Period(date(2013, 8, 1), date(2015, 12, 31))).as_dict()["groups"][
        "Pilot"
    ]
    assert moves["movements"]["down"] > moves["movements"]["up"]


def test_the_history_uses_catalogue_interventions_on_their_own_steps(dataset):
    text = resources.files("trappen.core").joinpath("data/interventions.json").read_text()
    catalogue = {
        i["name"]: (i["step"], i.get("placement_type") or None)
        for i in json.loads(text)["interventions"]
    }
    used = dataset.episodes.select("intervention", "step", "placement_type").unique().rows()
    for name, step, placement_type in used:
        assert catalogue[name] == (step, placement_type), name


def test_every_case_of_the_history_closes_and_episodes_lie_inside_their_child_s_case(dataset):
    assert dataset.cases["closed"].null_count() == 0
    joined = dataset.episodes.join(dataset.cases, on="child_id")
    assert (joined["opened"] <= joined["start_date"]).all()
    assert (joined["end_date"] <= joined["closed"]).all()
