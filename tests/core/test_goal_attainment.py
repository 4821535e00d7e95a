"""Goal attainment (−2 … +2) and the child's own rating: the scales as data, and the
steering's attainment per group and half-year."""

import copy
import json
from datetime import date
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import goal_attainment as ga
from trappen.core.goal_attainment import HalfYear, Rating


def shipped() -> dict:
    text = resources.files("trappen.core").joinpath("data/goal_attainment.json").read_text("utf-8")
    return json.loads(text)


def test_the_goal_scale_has_the_five_levels_with_their_words():
    scale = ga.scales().goal
    assert scale.values == (-2, -1, 0, 1, 2) and scale.expected == 0
    assert scale.name_of(-2) == "Meget mindre end forventet"
    assert scale.name_of(0) == "Som forventet"
    assert scale.name_of(2) == "Meget mere end forventet"
    assert "Kiresuk" in scale.source["publisher"]


def test_the_childs_scale_runs_from_1_to_10():
    child = ga.scales().child
    assert (child.low, child.high) == (1, 10)
    assert child.valid(1) and child.valid(10) and not child.valid(0) and not child.valid(11)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["goal_scale"]["levels"].pop(2), "consecutive"),
        (lambda d: d["goal_scale"].update(expected=7), "expected"),
        (lambda d: d["child_scale"].update(low=10), "below"),
        (lambda d: d["goal_scale"]["levels"][0].update(name=""), "name"),
        (lambda d: d["goal_scale"].pop("source"), "source"),
    ],
)
def test_a_broken_scale_file_is_refused_naming_the_problem(change, message):
    data = copy.deepcopy(shipped())
    change(data)
    with pytest.raises(ga.ScaleDataError, match=message):
        ga.parse_scales(data)


def test_a_half_year_ends_on_30_june_and_31_december():
    assert HalfYear.of(date(2025, 6, 30)) == HalfYear(2025, 1)
    assert HalfYear.of(date(2025, 7, 1)) == HalfYear(2025, 2)
    assert HalfYear.of(date(2025, 12, 31)) == HalfYear(2025, 2)
    assert str(HalfYear(2025, 2)) == "2025 H2"


def test_attainment_per_group_and_half_year_by_hand():
    ratings = [
        Rating("Pilot", date(2025, 2, 1), 1, goal=1, child=10),
        Rating("Pilot", date(2025, 5, 1), 2, goal=1, child=10),
        Rating("Pilot", date(2025, 5, 1), -1, goal=2, child=10),
        Rating("Pilot", date(2025, 5, 1), 0, goal=3, child=11),
        Rating("Pilot", date(2025, 8, 1), -2, goal=3, child=11),
        Rating("Øvrige", date(2025, 3, 1), -1, goal=4, child=12),
    ]
    rows = ga.attainment_by_group(ratings)
    assert [(r.group, str(r.half_year)) for r in rows] == [
        ("Pilot", "2025 H1"),
        ("Pilot", "2025 H2"),
        ("Øvrige", "2025 H1"),
    ]
    first = rows[0]
    # 1 + 2 - 1 + 0 = 2 over 4 ratings; 3 of 4 at or above the expected level (0).
    assert (first.ratings, first.goals, first.children) == (4, 3, 2)
    assert first.mean == 0.5 and first.share_expected == 0.75
    assert (rows[1].mean, rows[1].share_expected) == (-2, 0)
    assert (rows[2].ratings, rows[2].mean) == (1, -1)


def test_no_ratings_no_rows():
    assert ga.attainment_by_group([]) == ()


ratings = st.builds(
    Rating,
    group=st.sampled_from(["Pilot", "Øvrige"]),
    held_on=st.dates(date(2015, 1, 1), date(2030, 12, 31)),
    value=st.integers(-2, 2),
    goal=st.integers(1, 20),
    child=st.integers(1, 8),
)


@given(st.lists(ratings, max_size=60))
def test_every_rating_is_counted_once_and_the_figures_stay_on_the_scale(given_ratings):
    rows = ga.attainment_by_group(given_ratings)
    assert sum(r.ratings for r in rows) == len(given_ratings)
    for row in rows:
        assert -2 <= row.mean <= 2 and 0 <= row.share_expected <= 1
        assert 1 <= row.children <= row.ratings and 1 <= row.goals <= row.ratings
    assert list(rows) == sorted(rows, key=lambda r: (r.group, r.half_year))
