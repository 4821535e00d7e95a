from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from trappen.core.caseload import over_cap, suggest
from trappen.core.staircase import EpisodeSpan, current_step

DAY = date(2025, 6, 1)


def test_child_stands_on_the_highest_active_step():
    spans = [
        EpisodeSpan(1, date(2025, 1, 1), None),
        EpisodeSpan(4, date(2025, 3, 1), None),
        EpisodeSpan(5, date(2024, 1, 1), date(2025, 2, 1)),  # ended
        EpisodeSpan(5, date(2025, 7, 1), None),  # not started yet
    ]
    assert current_step(spans, DAY) == 4


def test_an_episode_is_no_longer_active_on_its_end_date():
    assert current_step([EpisodeSpan(3, date(2025, 1, 1), DAY)], DAY) is None
    assert current_step([EpisodeSpan(3, DAY, None)], DAY) == 3


def test_no_active_episode_means_no_step():
    assert current_step([], DAY) is None


spans = st.builds(
    lambda step, start, length: EpisodeSpan(
        step, start, None if length is None else date.fromordinal(start.toordinal() + length)
    ),
    st.integers(0, 5),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 1, 1)),
    st.one_of(st.none(), st.integers(0, 2000)),
)


@given(
    st.lists(spans, max_size=8), st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 1, 1))
)
def test_current_step_is_the_max_over_active_spans(episodes, day):
    step = current_step(episodes, day)
    active = [e.step for e in episodes if e.active_on(day)]
    assert step == (max(active) if active else None)
    # Adding an ended episode never changes where the child stands.
    extra = EpisodeSpan(5, date(2000, 1, 1), date(2000, 1, 2))
    assert current_step([*episodes, extra], day) == step


def test_suggest_the_lowest_caseload_first_in_order_on_ties():
    assert suggest({"anna": 22, "bent": 19, "carl": 19}) == "bent"
    assert suggest({}) is None


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 80), min_size=1))
def test_nobody_has_fewer_cases_than_the_suggestion(loads):
    chosen = suggest(loads)
    assert all(loads[chosen] <= n for n in loads.values())


def test_over_cap_is_strictly_above():
    assert not over_cap(25, 25)
    assert over_cap(26, 25)
