"""evaluate() computes the key-figure catalogue from its own integer-coded frames and
timeline (keyfigures.key_figures_coded); it must give exactly what the catalogue computed
from the dataset's own rows gives (the tests' oracle, oracle_keyfigures.key_figures_for_grouping),
for every grouping."""

import dataclasses
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.evaluate import generate
from tests.core.kpi.build import dataset
from tests.core.kpi.oracle_keyfigures import key_figures_for_grouping
from trappen.core.kpi import Period, evaluate
from trappen.core.kpi.frames import GROUP_BY_CHOICES
from trappen.core.kpi.report import TOTAL, prepare
from trappen.core.staircase import PlacementType

BASE = date(2013, 1, 1)
CHILDREN = ["a", "b", "c", "e"]  # "e" is never in the children table
TYPES = [None, *(t.value for t in PlacementType)]
INST = PlacementType.RESIDENTIAL_INSTITUTION.value


def catalogues(ds, period, group_by):
    """The catalogue per group as evaluate() reports it, and as computed from the rows."""
    report = evaluate(ds, period, group_by=group_by).as_dict()
    got = {name: g["key_figures"] for name, g in report["groups"].items()}
    got[TOTAL] = report["total"]["key_figures"]
    names = prepare(ds, group_by).groups
    want = key_figures_for_grouping(ds, period, group_by, names=names, total=TOTAL)
    return got, {name: want[name] for name in got}


# Days on a coarse grid, lengths around the 31-day gap: episodes meet, overlap, leave gaps of
# exactly 30, 31 or 32 days and start or end on a period's first or last day.
def offset(draw):
    return draw(st.integers(0, 16)) * 31 + draw(st.sampled_from([0, 1, 30]))


LENGTHS = st.sampled_from([None, -1, 0, 1, 30, 31, 32, 62, 63, 93, 200, 400])


@st.composite
def datasets(draw):
    episodes = []
    for i in range(draw(st.integers(0, 20))):
        start = BASE + timedelta(days=offset(draw))
        length = draw(LENGTHS)
        episodes.append(
            {
                "episode_id": f"e{i}",
                "child_id": draw(st.sampled_from(CHILDREN)),
                "step": draw(st.sampled_from([0, 1, 2, 2, 3, 4, 5, 5])),
                "placement_type": draw(st.sampled_from([*TYPES, INST, INST])),
                "start": start.isoformat(),
                "end": None if length is None else (start + timedelta(days=length)).isoformat(),
                # Whole kroner: sums are exact in any order.
                "daily_cost": draw(st.integers(0, 5000)),
            }
        )
    cases = []
    for child in draw(st.lists(st.sampled_from(CHILDREN), max_size=6)):
        opened = offset(draw)
        if any(c == child and o == opened for c, o in cases):
            continue  # two cases of a child opened the same day: which one counts is open
        cases.append((child, opened))
    teams = st.sampled_from(["t1", "t2", None])
    ds = dataset(
        districts=[("x", "P"), ("y", "O"), ("z", "O")],
        children=[(c, draw(st.sampled_from(["x", "y", "z", "w", None]))) for c in CHILDREN[:3]],
        cases=[
            (child, draw(teams), (BASE + timedelta(days=o)).isoformat(), None) for child, o in cases
        ],
        episodes=episodes,
        followups=[
            (
                f"e{draw(st.integers(0, 20))}",
                draw(st.sampled_from([*CHILDREN, "f"])),  # "f": a child found nowhere else
                (BASE + timedelta(days=offset(draw))).isoformat(),
            )
            for _ in range(draw(st.integers(0, 8)))
        ],
    )
    talks = draw(st.lists(st.sampled_from([True, False, None]), min_size=ds.followups.height))
    followups = ds.followups.with_columns(
        child_conversation=pl.Series(talks[: ds.followups.height], dtype=pl.Boolean)
    )
    return dataclasses.replace(ds, followups=followups)


periods = st.builds(
    lambda a, b, n: Period(BASE + timedelta(days=a * 31 + b), BASE + timedelta(days=a * 31 + n)),
    st.integers(0, 16),
    st.sampled_from([0, 1, 31]),
    st.sampled_from([31, 32, 62, 63, 200, 365, 600]),
)


@settings(max_examples=200, deadline=None)
@given(ds=datasets(), period=periods, group_by=st.sampled_from(GROUP_BY_CHOICES))
def test_evaluate_gives_the_catalogue_computed_from_the_rows(ds, period, group_by):
    got, want = catalogues(ds, period, group_by)
    assert got == want


def episode(child, step, start, end, placement_type=None):
    return {
        "child_id": child,
        "step": step,
        "start": start,
        "end": end,
        "placement_type": placement_type,
    }


@pytest.mark.parametrize(
    ("episodes", "start"),
    [
        # Step 2 ends the day before the period: "ended" on its first day.
        ([episode("a", 2, "2014-01-01", "2014-06-01")], "2014-06-01"),
        # The next step starts exactly 31 days after the institution stay ended.
        (
            [
                episode("a", 5, "2013-01-01", "2014-03-01", INST),
                episode("a", 3, "2014-04-01", None, "foster_network"),
            ],
            "2014-01-01",
        ),
        # Institution episodes 31 and 32 days apart: one stay, then two.
        (
            [
                episode("a", 5, "2014-01-01", "2014-02-01", INST),
                episode("a", 5, "2014-03-04", "2014-04-01", INST),
                episode("b", 5, "2014-01-01", "2014-02-01", INST),
                episode("b", 5, "2014-03-05", "2014-04-01", INST),
            ],
            "2014-02-15",
        ),
    ],
)
@pytest.mark.parametrize("group_by", GROUP_BY_CHOICES)
def test_the_same_on_the_edges(episodes, start, group_by):
    ds = dataset(
        districts=[("x", "P")],
        children=[("a", "x"), ("b", "x")],
        cases=[("a", "t1", "2012-01-01", None)],
        episodes=episodes,
    )
    got, want = catalogues(ds, Period(date.fromisoformat(start), date(2014, 12, 31)), group_by)
    assert got == want


@pytest.mark.parametrize("group_by", GROUP_BY_CHOICES)
def test_the_same_on_a_generated_municipality(group_by):
    """Ten years of 400 children (the benchmark's generator): stays, moves and follow-ups
    in numbers that leave no figure at zero."""
    ds = generate(400, seed=3)
    got, want = catalogues(ds, Period(date(2016, 1, 1), date(2025, 12, 31)), group_by)
    assert want[TOTAL]["institution_duration"]["ended"] > 0
    assert want[TOTAL]["home_based_movements"]["up"] > 0
    assert got.keys() == want.keys()
    for name in got:
        for key, figure in want[name].items():
            if key == "spending":  # sums of fractional kroner, in another order
                assert got[name][key] == pytest.approx(figure, rel=1e-12)
            else:
                assert got[name][key] == figure, (name, key)
