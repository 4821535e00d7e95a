import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.cadence import Interval, Repeat, Schedule
from trappen.core.cadence_rules import (
    RuleError,
    format_interval,
    parse_interval,
    schedule_from_dict,
)
from trappen.core.deadlines import Unit


def test_a_rule_file_schedule_becomes_a_core_schedule():
    schedule = schedule_from_dict(
        {"milestones": ["2w"], "repeats": [{"every": "6w", "until": "12m"}, {"every": "3m"}]}
    )
    assert schedule == Schedule(
        (Interval(2, Unit.WEEKS),),
        (
            Repeat(Interval(6, Unit.WEEKS), Interval(12, Unit.MONTHS)),
            Repeat(Interval(3, Unit.MONTHS)),
        ),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"milestones": ["0w"]},
        {"repeats": [{"every": "-6w"}]},
        {"milestones": ["2 weeks"]},
        {"repeats": [{"until": "3m"}]},
        {},
        {"milestones": ["2w"], "every": "3m"},
        {"milestones": [14]},
        {"milestones": ["3m", "1w"]},
        {"milestones": ["4w", "4w"]},
    ],
)
def test_bad_rules_are_refused_with_a_reason(data):
    with pytest.raises(RuleError):
        schedule_from_dict(data)


@given(st.integers(1, 500), st.sampled_from(list("dwm")))
def test_intervals_round_trip(amount, letter):
    text = f"{amount}{letter}"
    assert format_interval(parse_interval(text)) == text


@given(st.text(max_size=8))
def test_parsing_anything_either_works_or_says_why(text):
    try:
        interval = parse_interval(text)
    except RuleError:
        return
    assert interval.amount > 0
