"""The structured investigation's areas as data (Barnets Lov § 22, stk. 1) and their profile."""

import copy
import json
from datetime import date
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import ics


def shipped() -> dict:
    text = resources.files("trappen.core").joinpath("data/ics_areas.json").read_text("utf-8")
    return json.loads(text)


def test_the_default_is_socialstyrelsens_simplified_triangle_of_ten_dimensions():
    framework = ics.catalogue().framework_on(date(2026, 1, 1))
    assert [s.name for s in framework.sides] == [
        "Barnets udvikling",
        "Forældrekompetencer",
        "Familie og netværk",
    ]
    assert len(framework.areas) == 10
    assert [len(s.areas) for s in framework.sides] == [4, 3, 3]
    assert framework.valid_from == date(2019, 1, 1)
    assert "Socialstyrelsen" in framework.source["publisher"]
    assert ics.catalogue().law["paragraph"] == "Barnets Lov § 22, stk. 1"


def test_the_rating_runs_from_a_major_concern_to_a_major_resource():
    levels = ics.catalogue().levels
    assert [lv.value for lv in levels] == [-2, -1, 0, 1, 2]
    assert levels[0].name == "Stor bekymring" and levels[-1].name == "Stor ressource"


def test_a_day_before_every_framework_gets_the_earliest():
    assert ics.catalogue().framework_on(date(2012, 5, 1)).key == "ics-2019"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["frameworks"][0]["sides"][1]["areas"].append({"key": "health", "name": "X"}),
         "appears twice"),
        (lambda d: d["frameworks"].append({**copy.deepcopy(d["frameworks"][0]), "key": "b"}),
         "in force on the same days"),
        (lambda d: d["ratings"]["levels"].pop(), "-2, -1, 0, 1, 2"),
        (lambda d: d["frameworks"][0].update(valid_to="2018-01-01"), "before valid_from"),
        (lambda d: d["frameworks"][0]["sides"][0].update(areas=[]), "non-empty list"),
        (lambda d: d["frameworks"][0].pop("source"), "source"),
        (lambda d: d.pop("law"), "paragraph"),
    ],
)  # fmt: skip
def test_a_broken_areas_file_is_refused_naming_the_problem(change, message):
    data = shipped()
    change(data)
    with pytest.raises(ics.AreaDataError, match=message):
        ics.parse_catalogue(data)


def test_two_frameworks_one_after_the_other_are_picked_by_day():
    data = shipped()
    old = copy.deepcopy(data["frameworks"][0])
    old.update(key="ics-2008", valid_from="2008-01-01", valid_to="2018-12-31")
    data["frameworks"].append(old)
    catalogue = ics.parse_catalogue(data)
    assert catalogue.framework_on(date(2018, 12, 31)).key == "ics-2008"
    assert catalogue.framework_on(date(2019, 1, 1)).key == "ics-2019"


def test_the_profile_lays_every_area_out_with_its_words_and_counts():
    catalogue = ics.catalogue()
    framework = catalogue.frameworks[0]
    profile = ics.profile(
        framework,
        {"health": (-2, "Astma"), "network": (2, "Mormor"), "unknown": (1, "x")},
        catalogue.levels,
    )
    child, parents, family = profile
    assert child.rows[0].level == "Stor bekymring" and child.rows[0].width == 2
    assert child.concerns == 1 and child.resources == 0 and child.assessed == 1
    assert family.resources == 1
    assert [s.key for s in ics.unassessed_sides(profile)] == ["parents"]
    assert parents.rows[0].value is None and parents.rows[0].level == ""


@given(st.dictionaries(st.sampled_from([a.key for a in ics.catalogue().frameworks[0].areas]),
                       st.tuples(st.integers(-2, 2), st.text(max_size=5))))  # fmt: skip
def test_the_profile_keeps_every_rating_once(ratings):
    profile = ics.profile(ics.catalogue().frameworks[0], ratings, ics.catalogue().levels)
    rows = [r for side in profile for r in side.rows]
    assert len(rows) == 10
    assert {r.area.key: (r.value, r.note) for r in rows if r.value is not None} == ratings
    assert sum(s.assessed for s in profile) == len(ratings)
    assert all(0 <= r.width <= 2 for r in rows)
