"""Movements on the staircase (core.movements): a start or an end moves the child when its
highest active step changes."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trappen.core.movements import (
    StepChange,
    changes_on_end,
    changes_on_start,
    first_move_between_steps,
)
from trappen.core.staircase import EpisodeSpan, current_step

D0 = date(2025, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: D0 + timedelta(days=n))
steps = st.integers(min_value=0, max_value=5)


@st.composite
def spans(draw):
    start = draw(days)
    end = draw(st.none() | st.integers(min_value=1, max_value=200))
    return EpisodeSpan(draw(steps), start, None if end is None else start + timedelta(days=end))


@given(st.lists(spans(), max_size=5), steps, days, st.none() | st.integers(1, 200))
def test_a_start_records_exactly_the_changes_of_the_highest_step(others, step, start, length):
    end = None if length is None else start + timedelta(days=length)
    changes = changes_on_start(others, step, start, end)
    after = [*others, EpisodeSpan(step, start, end)]
    for c in changes:
        assert c.from_step != c.to_step
        assert c.to_step == current_step(after, c.on)
    assert [c.on for c in changes] == sorted({c.on for c in changes})
    if current_step(others, start) != current_step(after, start):
        assert changes[0].on == start


@given(st.lists(spans(), max_size=5), steps, days)
def test_a_measure_that_is_never_active_does_not_move_the_child(others, step, start):
    assert changes_on_start(others, step, start, start) == []


def test_starting_above_the_current_step_is_a_move_and_entering_the_staircase_is_not():
    home = EpisodeSpan(2, D0, None)
    [move] = changes_on_start([home], 4, date(2025, 3, 1), None)
    assert move == StepChange(date(2025, 3, 1), 2, 4)
    assert move.between_steps
    [enter] = changes_on_start([], 2, D0, None)
    assert not enter.between_steps
    assert first_move_between_steps([enter, move]) == move
    assert first_move_between_steps([enter]) is None


def test_ending_the_highest_measure_steps_the_child_down():
    home = EpisodeSpan(2, D0, None)
    assert changes_on_end([home], 4, date(2025, 3, 1), date(2025, 6, 1)) == [
        StepChange(date(2025, 6, 1), 4, 2)
    ]
    assert changes_on_end([], 4, date(2025, 3, 1), date(2025, 6, 1)) == [
        StepChange(date(2025, 6, 1), 4, None)
    ]
    assert changes_on_end([EpisodeSpan(5, D0, None)], 4, D0, date(2025, 6, 1)) == []
