from datetime import date

import polars as pl
import pytest

from tests.core.kpi.build import dataset
from trappen.core.kpi import Period
from trappen.core.kpi.frames import (
    add_group,
    cases_keyed,
    complaints_keyed,
    episodes_keyed,
    followups_keyed,
    overlap_days,
)

P = Period(date(2014, 1, 1), date(2014, 12, 31))


def _overlap(start, end):
    frame = pl.DataFrame(
        {"start_date": [start], "end_date": [end]},
        schema={"start_date": pl.Date, "end_date": pl.Date},
    )
    return frame.select(overlap_days(P)).item()


def test_overlap_days():
    assert _overlap(date(2013, 1, 1), None) == 365  # running through
    assert _overlap(date(2014, 7, 1), None) == 184  # July–December
    assert _overlap(date(2013, 1, 1), date(2014, 1, 1)) == 0  # ended the day the period began
    assert _overlap(date(2013, 1, 1), date(2014, 1, 2)) == 1  # active on 1 January only
    assert _overlap(date(2014, 12, 31), None) == 1
    assert _overlap(date(2015, 1, 1), None) == 0
    assert _overlap(date(2014, 3, 1), date(2014, 3, 11)) == 10
    assert _overlap(date(2014, 3, 1), date(2016, 3, 11)) == 306


DS = dataset(
    districts=[("a", "pilot"), ("b", "other")],
    children=[("c1", "a"), ("c2", "b"), ("c3", None), ("c4", "zz")],
    cases=[
        ("c1", "t1", "2013-01-01", "2013-06-01"),
        ("c1", "t2", "2014-01-01", None),
        ("c2", "t3", "2015-01-01", None),
        ("c3", None, "2012-01-01", None),
    ],
    episodes=[
        {"child_id": "c1", "step": 5, "start": "2013-03-01"},  # case t1 open
        {"child_id": "c1", "step": 2, "start": "2013-07-01"},  # none open: t1 latest before
        {"child_id": "c1", "step": 2, "start": "2014-01-01"},  # t2 opened that day
        {"child_id": "c2", "step": 4, "start": "2014-01-01"},  # case only later: unknown
        {"child_id": "c3", "step": 1, "start": "2014-01-01"},  # null team: unknown
        {"child_id": "c9", "step": 1, "start": "2014-01-01"},  # child not known
    ],
    followups=[("e0", "c1", "2013-04-01"), ("e3", "c2", "2014-02-01"), ("e7", "c1", "2014-01-01")],
    complaints=[("c1", "t9", "2014-01-01"), ("c4", "t1", "2014-01-01")],
)


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("group", ["pilot", "pilot", "pilot", "other", "unknown", "unknown"]),
        ("district", ["a", "a", "a", "b", "unknown", "unknown"]),
        ("team", ["t1", "t1", "t2", "unknown", "unknown", "unknown"]),
        ("all", ["all"] * 6),
    ],
)
def test_episode_keys(group_by, expected):
    assert episodes_keyed(DS, group_by)["group"].to_list() == expected


def test_case_and_complaint_keys():
    assert cases_keyed(DS, "team")["group"].to_list() == ["t1", "t2", "t3", "unknown"]
    assert cases_keyed(DS, "group")["group"].to_list() == ["pilot", "pilot", "other", "unknown"]
    # the complaint's own team, whatever the case's; a district not in the table: unknown group
    assert complaints_keyed(DS, "team")["group"].to_list() == ["t9", "t1"]
    assert complaints_keyed(DS, "group")["group"].to_list() == ["pilot", "unknown"]
    assert complaints_keyed(DS, "district")["group"].to_list() == ["a", "zz"]


def test_followups_take_their_episode_key():
    keyed = followups_keyed(DS, "team")
    assert keyed["episode_id"].to_list() == ["e0", "e3"]  # e7 is no episode: left out
    assert keyed["group"].to_list() == ["t1", "unknown"]


def test_unknown_group_by_is_refused():
    with pytest.raises(ValueError, match="group_by must be one of"):
        add_group(DS, DS.cases, "region")
