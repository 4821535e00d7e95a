"""Which follow-ups count for which plan, and the legal plan's inputs (core.followup_schedule)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trappen.core.cadence import Interval, Kind, Schedule, State
from trappen.core.deadlines import Unit
from trappen.core.followup_schedule import (
    ExceptionSpan,
    HeldFollowUp,
    InvestigationSpan,
    LegalTerms,
    legal_counts,
    legal_inputs,
    model_counts,
    model_dates,
    parallel_investigation_end,
    rhythm_decision,
)

START = date(2025, 1, 6)
BASE = Schedule((Interval(3, Unit.MONTHS),))
BARNETS_LOV = LegalTerms(
    rhythm_decided_at_first_follow_up=True,
    first_due_at_parallel_investigation_end=True,
    placement_visits_per_year=2,
)

days = st.integers(min_value=0, max_value=800).map(lambda n: START + timedelta(days=n))
held_follow_ups = st.builds(
    HeldFollowUp,
    held_on=days,
    full=st.booleans(),
    supervision_visit=st.booleans(),
    rhythm=st.sampled_from(["", "", "3m", "6w", "nonsense"]),
)


@given(held_follow_ups, st.lists(st.tuples(days, st.none() | days), max_size=3))
def test_a_full_follow_up_always_counts_for_the_model_and_others_only_under_an_exception(
    follow_up, spans
):
    exceptions = [ExceptionSpan(a, w) for a, w in spans]
    excepted = any(
        a <= follow_up.held_on and (w is None or follow_up.held_on < w) for a, w in spans
    )
    assert model_counts(follow_up, exceptions) == (follow_up.full or excepted)


@given(held_follow_ups, st.booleans())
def test_the_law_counts_every_follow_up_but_for_placements_only_full_visits(follow_up, placement):
    assert legal_counts(follow_up, placement=placement) == (follow_up.full or not placement)


def test_an_exception_is_active_from_its_approval_until_its_withdrawal():
    span = ExceptionSpan(date(2025, 2, 1), date(2025, 3, 1))
    assert not span.active_on(date(2025, 1, 31))
    assert span.active_on(date(2025, 2, 1))
    assert span.active_on(date(2025, 2, 28))
    assert not span.active_on(date(2025, 3, 1))
    phone = HeldFollowUp(date(2025, 2, 10), full=False)
    assert model_dates([phone], [span]) == (date(2025, 2, 10),)
    assert model_dates([phone], []) == ()


def test_only_an_afdaekning_or_investigation_running_at_the_start_brings_the_first_due_forward():
    """§ 95, stk. 2, nr. 1; a screening is neither."""
    running = InvestigationSpan("afdaekning", date(2025, 1, 1), date(2025, 2, 20))
    screening = InvestigationSpan("screening", date(2025, 1, 1), date(2025, 1, 20))
    before = InvestigationSpan("investigation", date(2024, 10, 1), date(2024, 12, 1))
    open_ = InvestigationSpan("investigation", date(2025, 1, 1), None)
    assert parallel_investigation_end(START, [running, screening, before, open_]) == date(
        2025, 2, 20
    )
    assert parallel_investigation_end(START, [screening, before, open_]) is None


def test_the_rhythm_is_the_first_one_recorded_and_an_unreadable_one_is_none():
    """§ 95, stk. 3: the decision at the first follow-up that recorded one."""
    later = HeldFollowUp(date(2025, 6, 1), True, rhythm="6w")
    first = HeldFollowUp(date(2025, 4, 1), True, rhythm="3m")
    decision = rhythm_decision([later, first])
    assert decision is not None
    assert decision.decided_on == date(2025, 4, 1)
    assert decision.every == Interval(3, Unit.MONTHS)
    assert rhythm_decision([HeldFollowUp(date(2025, 4, 1), True, rhythm="nonsense"), later]) is None
    assert rhythm_decision([HeldFollowUp(date(2025, 4, 1), True)]) is None


@given(st.lists(held_follow_ups, max_size=8), st.booleans(), st.none() | days)
def test_the_legal_inputs_count_what_the_law_counts_and_flag_a_missing_rhythm(
    held, placement, end_on
):
    today = START + timedelta(days=900)
    found = legal_inputs(
        BASE,
        BARNETS_LOV,
        start_on=START,
        end_on=end_on,
        held=held,
        investigations=[],
        placement=placement,
        today=today,
    )
    assert found.held == tuple(f.held_on for f in held if f.full or not placement)
    assert found.rhythm_missing == (bool(found.held) and rhythm_decision(held) is None)
    if not placement:
        assert found.visits is None
    else:
        assert found.visits is not None
        assert all(d.kind is Kind.VISIT for d in found.visits)
        assert all(d.state is not State.UPCOMING or d.due >= today for d in found.visits)


def test_without_the_terms_the_base_schedule_stands_and_nothing_is_flagged():
    """Serviceloven § 70 (before Barnets Lov): no rhythm decision, no parallel end, no visits."""
    held = [HeldFollowUp(date(2025, 4, 1), True)]
    found = legal_inputs(
        BASE,
        LegalTerms(),
        start_on=START,
        end_on=None,
        held=held,
        investigations=[InvestigationSpan("afdaekning", date(2025, 1, 1), date(2025, 2, 1))],
        placement=True,
        today=date(2026, 1, 1),
    )
    # the parallel afdaekning is not asked for: the first follow-up stays at 3 months
    assert found.schedule.milestones[0].after(START) == date(2025, 4, 6)
    assert found.schedule.repeats == BASE.repeats
    assert found.held == (date(2025, 4, 1),)
    assert not found.rhythm_missing
    assert found.visits is None
