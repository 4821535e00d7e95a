"""The programme's targets as traffic lights (core.targets) and the data file that holds them."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import ruledata
from trappen.core.targets import (
    Direction,
    Light,
    Target,
    TargetError,
    family_care_share,
    in_force,
    targets_from_data,
    trend,
)


def target(direction=Direction.AT_LEAST, green=0.75, yellow=0.65, unit="share", **kw):
    return Target(
        key=kw.pop("key", "family_care_share"), label="x", direction=direction, green=green,
        yellow=yellow, unit=unit, source="s", valid_from=kw.pop("valid_from", date(2013, 1, 1)),
        **kw,
    )  # fmt: skip


def test_the_75_25_target_lights():
    t = target()
    assert t.light(0.80) is Light.GREEN
    assert t.light(0.75) is Light.GREEN
    assert t.light(0.70) is Light.YELLOW
    assert t.light(0.50) is Light.RED


def test_caseload_at_most_25():
    t = target(Direction.AT_MOST, green=25, yellow=28, unit="cases", key="mean_caseload")
    assert t.light(22.0) is Light.GREEN
    assert t.light(25.0) is Light.GREEN
    assert t.light(27.0) is Light.YELLOW
    assert t.light(31.0) is Light.RED
    assert t.improves(-2.0) is True and t.improves(1.0) is False and t.improves(0) is None


def test_no_figure_is_no_data_never_red():
    assert target().light(None) is Light.UNMEASURED


def test_impossible_rows_are_refused():
    with pytest.raises(TargetError, match="yellow edge lies above"):
        target(green=0.7, yellow=0.8)
    with pytest.raises(TargetError, match="between 0 and 1"):
        target(green=75, yellow=65)
    with pytest.raises(TargetError, match="unknown fields"):
        targets_from_data({"targets": [{"key": "k", "colour": "red"}]})


def test_family_care_share():
    assert family_care_share(3.0, 1.0) == 0.75
    assert family_care_share(None, None) is None
    assert family_care_share(0.0, 2.0) == 0.0


def test_trend_from_first_to_last_measured():
    assert trend([None, 0.5, None, 0.7]) == pytest.approx(0.2)
    assert trend([0.5, None]) is None


def test_the_newest_row_in_force_wins():
    old = target(valid_from=date(2013, 1, 1), valid_to=date(2019, 12, 31))
    new = target(green=0.8, valid_from=date(2020, 1, 1))
    assert in_force([old, new], date(2015, 6, 1)) == [old]
    assert in_force([old, new], date(2021, 6, 1)) == [new]


def test_the_data_file_holds_the_five_targets_with_sources():
    targets = targets_from_data(ruledata.load("targets.json"))
    keys = [t.key for t in targets]
    assert keys == [
        "family_care_share", "mean_caseload", "followups_on_time", "assessments_on_time",
        "sdq_coverage",
    ]  # fmt: skip
    assert all(t.source for t in targets)
    by_key = {t.key: t for t in targets}
    assert by_key["family_care_share"].green == 0.75
    assert by_key["mean_caseload"].green == 25
    assert by_key["mean_caseload"].direction is Direction.AT_MOST


@given(green=st.floats(0, 1), gap=st.floats(0, 1), value=st.one_of(st.none(), st.floats(0, 1)))
def test_a_better_value_never_has_a_worse_light(green, gap, value):
    t = target(green=green, yellow=max(0.0, green - gap))
    rank = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2, Light.UNMEASURED: 3}
    if value is None:
        assert t.light(value) is Light.UNMEASURED
    else:
        assert rank[t.light(min(1.0, value + 0.1))] <= rank[t.light(value)]
