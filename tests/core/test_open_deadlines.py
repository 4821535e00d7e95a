"""trappen.core.open_deadlines: each kind of a case's open deadline, and the rule's order."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trappen.core.deadlines import DeadlineRule, Unit
from trappen.core.open_deadlines import (
    CaseRows,
    FollowUpRow,
    InvestigationRow,
    Kind,
    MeasureRow,
    NotificationRow,
    open_deadlines,
)

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
# The § 91 rule as rules/data (core/data)/deadlines.json has it: 3 months since 2024.
PLAN_RULES = [DeadlineRule("child_plan", 3, Unit.MONTHS, date(2024, 1, 1))]


def found(rows: CaseRows, case: int = 1) -> list[tuple[Kind, object]]:
    return [(d.kind, d.due) for d in open_deadlines([case], rows, PLAN_RULES, NOW)[case]]


def test_an_unassessed_notification_is_due_in_24_hours():
    """Barnets Lov § 136: a notification is assessed within 24 hours; an assessed one is not
    open."""
    due = NOW + timedelta(hours=5)
    rows = CaseRows(notifications=[NotificationRow(1, due, False), NotificationRow(1, due, True)])
    assert found(rows) == [(Kind.ASSESSMENT, due)]


def test_an_open_investigation_is_due_by_its_deadline_and_screening_has_none():
    """Barnets Lov § 20, stk. 3: the børnefaglig undersøgelse within 4 months of awareness;
    screening (§ 18) and afdækning (§ 19) carry no such deadline; a completed one is closed."""
    deadline = TODAY + timedelta(days=30)
    rows = CaseRows(
        investigations=[
            InvestigationRow(1, "investigation", deadline, None, None),
            InvestigationRow(1, "screening", None, None, None),
            InvestigationRow(1, "investigation", deadline, TODAY, None),
        ]
    )
    assert found(rows) == [(Kind.INVESTIGATION, deadline)]


def test_a_preliminary_assessment_is_due_once_the_four_months_have_passed():
    """Barnets Lov § 20, stk. 3, 2. pkt.: not completed in 4 months, a foreløbig vurdering is
    made; it stays open until it exists, the investigation stays open until completed."""
    passed = TODAY - timedelta(days=3)
    late = InvestigationRow(1, "investigation", passed, None, None)
    assert found(CaseRows(investigations=[late])) == [
        (Kind.INVESTIGATION, passed),
        (Kind.PRELIMINARY, passed),
    ]
    made = InvestigationRow(1, "investigation", passed, None, TODAY)
    assert found(CaseRows(investigations=[made])) == [(Kind.INVESTIGATION, passed)]
    on_time = InvestigationRow(1, "investigation", TODAY, None, None)
    assert Kind.PRELIMINARY not in [k for k, _ in found(CaseRows(investigations=[on_time]))]


def test_barnets_plan_is_due_three_months_after_the_decision():
    """Barnets Lov § 91, stk. 1-2: the plan 3 months after the decision on a § 32 support or
    a § 46 placement; before the decision on a § 47 placement without consent; none once a
    plan is made, none for a measure the section does not cover."""
    start = date(2026, 5, 1)
    support = MeasureRow(1, 10, "Familiebehandling", start, needs_plan=True)
    assert found(CaseRows(measures=[support])) == [(Kind.PLAN, date(2026, 8, 1))]
    forced = MeasureRow(1, 11, "Anbringelse", start, needs_plan=True, without_consent=True)
    assert found(CaseRows(measures=[forced])) == [(Kind.PLAN, start)]
    assert found(CaseRows(measures=[support], plans_made={1: date(2026, 5, 20)})) == []
    other = MeasureRow(1, 12, "Rådgivning", start, needs_plan=False)
    assert found(CaseRows(measures=[other])) == []


def test_the_old_rule_gives_four_months_for_a_decision_before_2024():
    """Serviceloven § 140 (before Barnets Lov): the plan within 4 months; the rule in force
    on the decision day counts."""
    rules = [
        *PLAN_RULES,
        DeadlineRule("child_plan", 4, Unit.MONTHS, date(2013, 1, 1), date(2023, 12, 31)),
    ]
    m = MeasureRow(1, 10, "Støtte", date(2023, 12, 1), needs_plan=True)
    [d] = open_deadlines([1], CaseRows(measures=[m]), rules, NOW)[1]
    assert d.due == date(2024, 4, 1)


def test_an_institution_placement_without_an_exit_plan_is_due_from_admission():
    """The Herning model (KORA 2017): an institution placement has its exit plan from the day
    of admission; once made, its planned discharge is the date to keep."""
    start = TODAY - timedelta(days=10)
    missing = MeasureRow(1, 10, "Døgninstitution", start, needs_plan=False, institution=True)
    [d] = open_deadlines([1], CaseRows(measures=[missing]), PLAN_RULES, NOW)[1]
    assert (d.kind, d.due, d.subject) == (Kind.EXIT_PLAN, start, "Døgninstitution")
    assert d.is_overdue(NOW)
    out = TODAY + timedelta(days=90)
    planned = MeasureRow(
        1, 10, "Døgninstitution", start, needs_plan=False, institution=True,
        has_exit_plan=True, planned_discharge_on=out,
    )  # fmt: skip
    assert found(CaseRows(measures=[planned])) == [(Kind.DISCHARGE, out)]


def test_a_follow_up_is_open_on_its_planned_date():
    """Barnets Lov § 95 and the model's rhythm: the due lists' next follow-up date."""
    due = TODAY - timedelta(days=1)
    [d] = open_deadlines(
        [1], CaseRows(follow_ups=[FollowUpRow(1, 10, "Mentor", due)]), PLAN_RULES, NOW
    )[1]
    assert (d.kind, d.due, d.subject) == (Kind.FOLLOW_UP, due, "Mentor")
    assert d.is_overdue(NOW) and d.source == "Barnets Lov § 95"


def test_a_case_not_asked_for_gets_nothing_and_every_case_asked_for_has_a_list():
    rows = CaseRows(follow_ups=[FollowUpRow(2, 10, "Mentor", TODAY)])
    assert open_deadlines([1], rows, PLAN_RULES, NOW) == {1: []}


days = st.integers(min_value=-200, max_value=200)


@given(
    st.lists(st.tuples(st.integers(1, 3), days, st.booleans()), max_size=5),
    st.lists(st.tuples(st.integers(1, 3), days), max_size=5),
    st.lists(st.tuples(st.integers(1, 3), days, st.booleans(), st.booleans()), max_size=5),
)
def test_each_case_gets_exactly_its_own_open_deadlines_soonest_first(notes, follow, measures):
    rows = CaseRows(
        notifications=[NotificationRow(c, NOW + timedelta(days=d), a) for c, d, a in notes],
        follow_ups=[
            FollowUpRow(c, i, "M", TODAY + timedelta(days=d)) for i, (c, d) in enumerate(follow)
        ],
        measures=[
            MeasureRow(c, i, "M", TODAY + timedelta(days=d), needs_plan=p, institution=inst)
            for i, (c, d, p, inst) in enumerate(measures)
        ],
    )
    result = open_deadlines([1, 2, 3], rows, PLAN_RULES, NOW)
    for case, listed in result.items():
        assert all(d.case == case for d in listed)
        moments = [d.moment(NOW) for d in listed]
        assert moments == sorted(moments)
        expected = (
            sum(1 for c, _, a in notes if c == case and not a)
            + sum(1 for c, _ in follow if c == case)
            + sum(int(p) + int(inst) for c, _, p, inst in measures if c == case)
        )
        assert len(listed) == expected
        # the soonest is never later than any open one: the home page's "Næste frist"
        if listed:
            assert listed[0].moment(NOW) == min(moments)
