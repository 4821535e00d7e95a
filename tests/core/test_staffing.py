"""The staffing calculator's sums (core.staffing) and its rhythm file."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import ruledata
from trappen.core.staffing import StaffingError, need, rhythm_from_data

RHYTHM = rhythm_from_data(ruledata.load("staffing.json"))


def team(**kw):
    args = {
        "open_cases": 50, "measures": {"institution": 10, "preventive": 20}, "districts": 2,
        "caseworkers_now": 1, "caseload_target": 25.0, "rhythm": RHYTHM,
    }  # fmt: skip
    return need("Team Nord", **{**args, **kw})


def test_caseworkers_at_the_caseload_target():
    assert team().by_caseload == 2.0


def test_follow_up_hours_from_the_rhythm():
    # 10 institution measures × 8.7 + 20 preventive × 4 = 167 follow-ups × 3 hours.
    assert team().followup_hours == pytest.approx((10 * 8.7 + 20 * 4) * 3)


def test_the_rhythm_can_need_more_than_the_caseload():
    heavy = team(measures={"institution": 50}, open_cases=25)
    assert heavy.by_caseload == 1.0
    assert heavy.by_rhythm > 1.0
    assert heavy.caseworkers == heavy.by_rhythm


def test_ppr_and_health_visitor_hours():
    t = team()
    meetings = 26 * 1.5 + 2 * 10 * 1.5
    assert t.hours["psychologist"] == pytest.approx(meetings + 50 * 2)
    assert t.hours["health_visitor"] == pytest.approx(meetings + 50 * 1)
    assert t.per_week("psychologist") == pytest.approx(t.hours["psychologist"] / 46)


def test_a_bad_target_is_refused():
    with pytest.raises(StaffingError):
        team(caseload_target=0)


def test_an_empty_team_needs_only_its_meetings():
    t = team(open_cases=0, measures={}, districts=0)
    assert t.caseworkers == 0.0
    assert t.hours["psychologist"] == pytest.approx(26 * 1.5)


@given(st.integers(0, 500), st.integers(0, 500))
def test_more_cases_never_need_fewer_caseworkers(cases, more):
    assert team(open_cases=cases + more).caseworkers >= team(open_cases=cases).caseworkers
