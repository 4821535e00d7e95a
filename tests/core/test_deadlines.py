from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.deadlines import (
    DeadlineRule,
    NoRuleInForce,
    Unit,
    add,
    add_months,
    deadline,
    rule_in_force,
)

CPH = ZoneInfo("Europe/Copenhagen")


def test_24_hours_are_elapsed_hours_across_daylight_saving():
    # 28 March 2026 10:00 local; clocks go forward that night.
    start = datetime(2026, 3, 28, 10, 0, tzinfo=CPH)
    due = add(start, 24, Unit.HOURS)
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)
    assert due.hour == 11  # local wall clock moved on an extra hour


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 10, 15), 4, date(2026, 2, 15)),
        (date(2025, 12, 1), 4, date(2026, 4, 1)),
    ],
)
def test_months_clamp_to_month_end(start, months, due):
    assert add_months(start, months) == due


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(min_value=0, max_value=48))
def test_adding_months_never_goes_backwards_and_lands_in_the_right_month(start, months):
    due = add_months(start, months)
    assert due >= start
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    assert due.day <= start.day


RULES = [
    DeadlineRule("investigation", 4, Unit.MONTHS, date(2013, 1, 1), date(2023, 12, 31)),
    DeadlineRule("investigation", 3, Unit.MONTHS, date(2024, 1, 1)),
]


def test_the_rule_in_force_on_the_start_date_applies():
    assert rule_in_force(RULES, "investigation", date(2023, 12, 31)).amount == 4
    assert rule_in_force(RULES, "investigation", date(2024, 1, 1)).amount == 3
    assert deadline(RULES, "investigation", datetime(2024, 2, 1)) == datetime(2024, 5, 1)


def test_no_rule_in_force_is_an_error_not_a_guess():
    with pytest.raises(NoRuleInForce):
        rule_in_force(RULES, "investigation", date(2012, 12, 31))
    with pytest.raises(NoRuleInForce):
        rule_in_force(RULES, "unknown", date(2020, 1, 1))


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=1, max_value=1000),
    st.sampled_from(list(Unit)),
)
def test_a_deadline_is_always_after_its_start(start, amount, unit):
    assert add(start, amount, unit) > start
