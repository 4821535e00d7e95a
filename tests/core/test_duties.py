"""Dated duties of Barnets Lov (LBK nr 282 af 17/03/2025) as pure rules."""

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trappen.core.deadlines import DeadlineRule, Unit, add_working_days, deadline
from trappen.core.duties import (
    InvestigationClock,
    awareness_date,
    may_reassess,
    needs_reassessment,
    plan_due,
    plan_missing,
)

RULES = [DeadlineRule("child_investigation", 4, Unit.MONTHS, date(2024, 1, 1))]


def _deadline(aware: date) -> date:
    return deadline(
        RULES, "child_investigation", datetime(aware.year, aware.month, aware.day)
    ).date()


def test_the_four_months_run_from_the_first_notification_not_from_the_start():
    """§ 20, stk. 3: "afsluttes, senest 4 måneder efter at kommunalbestyrelsen bliver
    opmærksom på, at et barn eller en ung kan have behov for særlig støtte". A notification
    received 10 January and an investigation started 1 March: deadline 10 May."""
    aware = awareness_date([date(2025, 1, 10), date(2025, 2, 3)], fallback=date(2025, 3, 1))
    assert aware == date(2025, 1, 10)
    assert _deadline(aware) == date(2025, 5, 10)


def test_without_a_notification_the_case_opening_is_the_day_of_awareness():
    assert awareness_date([], fallback=date(2025, 3, 1)) == date(2025, 3, 1)


def test_a_foreloebig_vurdering_is_due_when_the_deadline_passes():
    """§ 20, stk. 3: "Hvis undersøgelsen undtagelsesvis ikke kan afsluttes inden 4 måneder,
    skal kommunalbestyrelsen udarbejde en foreløbig vurdering"."""
    clock = InvestigationClock(date(2025, 1, 10), date(2025, 5, 10), None, None)
    assert not clock.preliminary_due(date(2025, 5, 10))
    assert clock.preliminary_due(date(2025, 5, 11))
    made = InvestigationClock(date(2025, 1, 10), date(2025, 5, 10), None, date(2025, 5, 12))
    assert not made.preliminary_due(date(2025, 6, 1))
    assert made.is_late(date(2025, 6, 1))
    in_time = InvestigationClock(date(2025, 1, 10), date(2025, 5, 10), date(2025, 5, 1), None)
    assert not in_time.preliminary_due(date(2025, 6, 1))
    assert not in_time.is_late(date(2025, 6, 1))


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 120))
def test_the_deadline_never_moves_later_when_awareness_is_earlier(aware, days):
    assert _deadline(aware) <= _deadline(aware + timedelta(days=days))


def test_barnets_plan_within_three_months_and_before_a_placement_without_consent():
    """§ 91, stk. 2: "Planen skal foreligge, senest 3 måneder efter at der er truffet afgørelse
    om anbringelse. Sker anbringelsen uden samtykke efter § 47, skal planen dog foreligge,
    inden der træffes afgørelse om anbringelse"."""
    decided, later = date(2025, 1, 6), date(2025, 4, 6)
    assert plan_due(decided, later, without_consent=False) == later
    assert plan_due(decided, later, without_consent=True) == decided
    assert plan_missing(None, later, date(2025, 4, 7))
    assert not plan_missing(None, later, date(2025, 4, 6))
    assert plan_missing(date(2025, 1, 7), decided, date(2025, 1, 8))  # made after the § 47 decision


def test_a_notification_during_support_is_reassessed_by_someone_not_involved():
    """§ 137, stk. 1: "skal kommunalbestyrelsen genvurdere sagen. En eller flere personer ...
    som ikke tidligere har deltaget i behandlingen af sagen, skal deltage i genvurderingen"."""
    support = [(date(2025, 1, 6), None)]
    assert needs_reassessment(date(2025, 2, 1), support)
    assert not needs_reassessment(date(2025, 1, 5), support)
    assert not needs_reassessment(date(2025, 2, 1), [(date(2025, 1, 6), date(2025, 2, 1))])
    assert may_reassess(7, [1, 2, 3])
    assert not may_reassess(2, [1, 2, 3])


def test_the_receipt_is_due_six_working_days_after_receipt():
    """Serviceloven § 155 b, stk. 1 (receipt to the notifier within 6 hverdage; from 2024 read as
    Barnets Lov § 138)."""
    assert add_working_days(date(2025, 1, 10), 6) == date(2025, 1, 20)  # Friday → Monday+1w
    assert add_working_days(date(2025, 1, 11), 6) == date(2025, 1, 20)  # Saturday


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 40))
def test_working_days_skip_weekends_and_count_exactly(day, n):
    due = add_working_days(day, n)
    between = [day + timedelta(days=i) for i in range(1, (due - day).days + 1)]
    assert sum(d.weekday() < 5 for d in between) == n
    assert n == 0 or due.weekday() < 5
