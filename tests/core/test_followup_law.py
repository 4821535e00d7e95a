"""Barnets Lov § 95 and § 156, stk. 5 (LBK nr 282 af 17/03/2025), as pure rules."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trappen.core.cadence import Interval, Kind, Repeat, Schedule, State, plan
from trappen.core.deadlines import Unit
from trappen.core.followup_law import (
    RhythmDecision,
    first_follow_up_due,
    legal_schedule,
    visit_years,
)

M = lambda n: Interval(n, Unit.MONTHS)  # noqa: E731
BASE = Schedule((M(3),))  # the rule set barnets-lov-2024: "3m", the rhythm by decision
SEL_70 = Schedule((M(3),), (Repeat(M(6)),))


def test_a_parallel_afdaekning_ending_first_brings_the_first_follow_up_forward():
    """§ 95, stk. 2: "første gang finde sted på det tidligste af følgende tidspunkter: Når
    afdækningen eller undersøgelsen, som er foretaget sideløbende med en støttende indsats
    efter § 32, stk. 4 ... er afsluttet. 3 måneder efter iværksættelse af indsatsen."
    A § 32 measure started 6 January with an afdækning ending 20 February: due 20 February."""
    assert first_follow_up_due(date(2025, 1, 6), M(3), date(2025, 2, 20)) == date(2025, 2, 20)
    schedule = legal_schedule(BASE, date(2025, 1, 6), date(2025, 2, 20), None, rhythm_decided=True)
    p = plan(schedule, date(2025, 1, 6), [], today=date(2025, 1, 7))
    assert [d.due for d in p.dues] == [date(2025, 2, 20)]


def test_without_a_parallel_investigation_the_first_follow_up_is_due_after_three_months():
    """§ 95, stk. 2, nr. 2: "3 måneder efter iværksættelse af indsatsen"."""
    assert first_follow_up_due(date(2025, 1, 6), M(3), None) == date(2025, 4, 6)
    # An investigation that ended before the measure started is not a parallel one.
    assert first_follow_up_due(date(2025, 1, 6), M(3), date(2024, 12, 1)) == date(2025, 4, 6)


def test_the_decision_at_the_first_follow_up_moves_the_later_due_dates():
    """§ 95, stk. 3: "træffe beslutning om den fremadrettede tilrettelæggelse af
    opfølgningen": the legal due dates after the first follow-up follow that decision."""
    start, first = date(2025, 1, 6), date(2025, 3, 20)
    undecided = legal_schedule(BASE, start, None, None, rhythm_decided=True)
    every_two = legal_schedule(BASE, start, None, RhythmDecision(first, M(2)), rhythm_decided=True)
    every_four = legal_schedule(BASE, start, None, RhythmDecision(first, M(4)), rhythm_decided=True)
    today = date(2025, 3, 21)
    assert plan(undecided, start, [first], today).next_due is None  # the decision is missing
    assert plan(every_two, start, [first], today).next_due.due == date(2025, 5, 20)
    assert plan(every_four, start, [first], today).next_due.due == date(2025, 7, 20)


def test_serviceloven_70_keeps_its_own_six_monthly_rhythm():
    """SEL § 70 (to 31.12.2023): within 3 months, then at least every 6 months."""
    s = legal_schedule(SEL_70, date(2020, 1, 6), None, None, rhythm_decided=False)
    assert s.repeats == (Repeat(M(6)),)


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(min_value=0, max_value=200),
)
def test_the_first_follow_up_is_never_later_than_three_months_nor_before_the_start(start, days):
    parallel_end = start + timedelta(days=days - 50)
    first = first_follow_up_due(start, M(3), parallel_end)
    assert start <= first <= M(3).after(start)
    if start <= parallel_end:
        assert first <= parallel_end


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
)
def test_a_closer_rhythm_never_gives_a_later_next_due_date(start, a, b):
    short, long_ = sorted((a, b))
    first = first_follow_up_due(start, M(3), None)
    today = first + timedelta(days=1)
    dues = [
        plan(
            legal_schedule(BASE, start, None, RhythmDecision(first, M(n)), rhythm_decided=True),
            start,
            [first],
            today,
        ).next_due.due
        for n in (short, long_)
    ]
    assert dues[0] <= dues[1]


def test_two_visits_a_year_at_the_placement():
    """§ 156, stk. 5: "mindst to årlige tilsynsbesøg på anbringelsesstedet, hvor kommunen
    taler med barnet eller den unge"."""
    start = date(2025, 1, 6)
    years = visit_years(start, None, [date(2025, 3, 1), date(2025, 9, 1)], date(2026, 2, 1))
    assert [(y.start, y.end, y.required) for y in years] == [
        (date(2025, 1, 6), date(2026, 1, 5), 2),
        (date(2026, 1, 6), date(2027, 1, 5), 2),
    ]
    assert years[0].due(date(2026, 2, 1)).state is State.MET
    assert years[0].due(date(2026, 2, 1)).kind is Kind.VISIT
    assert years[1].due(date(2026, 2, 1)).state is State.UPCOMING
    one_visit = visit_years(start, None, [date(2025, 3, 1)], date(2026, 2, 1))
    assert one_visit[0].due(date(2026, 2, 1)).state is State.OVERDUE


def test_a_placement_ending_within_six_months_of_a_year_needs_one_visit_in_it():
    years = visit_years(date(2025, 1, 6), date(2025, 4, 30), [date(2025, 3, 1)], date(2025, 6, 1))
    assert [(y.end, y.required) for y in years] == [(date(2025, 4, 30), 1)]
    assert years[0].due(date(2025, 6, 1)).state is State.MET


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    st.lists(st.integers(min_value=0, max_value=1500), max_size=12),
    st.integers(min_value=0, max_value=1500),
)
def test_visit_years_tile_the_placement_without_gaps(start, offsets, age):
    today = start + timedelta(days=age)
    years = visit_years(start, None, [start + timedelta(days=o) for o in offsets], today)
    assert years[0].start == start
    for before, after in zip(years, years[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert years[-1].start <= today <= years[-1].end
    assert sum(len(y.visits) for y in years) <= len(offsets)
