"""The pure quality rules (core/quality.py, core/kpi/quality.py)."""

from datetime import date

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.kpi import quality as kpi
from trappen.core.kpi.period import Period
from trappen.core.quality import changes_of_caseworker, complaint_problems, team_caseload

OUTCOMES = {
    "handling": ["upheld", "partly_upheld", "not_upheld", "withdrawn"],
    "decision": ["upheld", "partly_upheld", "sent_to_ankestyrelsen", "withdrawn"],
}
TODAY = date(2025, 6, 1)


def problems(**kw):
    base = dict(
        kind="handling", decision="", received_on=date(2025, 5, 1), outcome="",
        outcome_on=None, today=TODAY, outcomes=OUTCOMES,
    )  # fmt: skip
    return complaint_problems(**{**base, **kw})


def test_a_complaint_about_the_handling_without_outcome_is_fine():
    assert problems() == []


def test_a_complaint_about_a_decision_names_the_decision():
    assert problems(kind="decision") == ["decision_missing"]
    assert problems(kind="decision", decision="Anbringelse 01.04.2025") == []


def test_only_a_complaint_about_a_decision_goes_to_ankestyrelsen():
    sent = dict(outcome="sent_to_ankestyrelsen", outcome_on=date(2025, 5, 20))
    assert problems(**sent) == ["outcome_not_for_kind"]
    assert problems(kind="decision", decision="Afslag", **sent) == []


def test_an_upheld_decision_is_sent_on_never_simply_not_upheld():
    assert problems(
        kind="decision", decision="Afslag", outcome="not_upheld", outcome_on=date(2025, 5, 2)
    ) == ["outcome_not_for_kind"]


def test_an_outcome_and_its_date_go_together_and_lie_between_received_and_today():
    assert problems(outcome="upheld") == ["outcome_date_missing"]
    assert problems(outcome_on=date(2025, 5, 2)) == ["outcome_date_without_outcome"]
    assert problems(outcome="upheld", outcome_on=date(2025, 4, 30)) == ["outcome_before_received"]
    assert problems(outcome="upheld", outcome_on=date(2025, 6, 2)) == ["outcome_in_future"]
    assert problems(received_on=date(2025, 6, 2)) == ["received_in_future"]


def test_an_unknown_kind_is_refused():
    assert problems(kind="other") == ["unknown_kind"]


def test_the_first_assignment_is_no_change_and_the_same_caseworker_again_is_none():
    assert changes_of_caseworker([(1, "a")]) == []
    assert changes_of_caseworker([(1, "a"), (2, "b"), (3, "b"), (4, "a")]) == [1, 3]


@given(st.lists(st.sampled_from("abc"), max_size=12))
def test_changes_are_the_positions_where_the_caseworker_differs(workers):
    got = changes_of_caseworker(enumerate(workers))
    assert got == [i for i in range(1, len(workers)) if workers[i] != workers[i - 1]]
    assert len(got) <= max(0, len(workers) - 1)


def test_the_team_average_not_each_person_is_held_against_the_target():
    # One person above 25, the team's average within it.
    t = team_caseload([30, 20, 22], 25)
    assert (t.average, t.over_target) == (24.0, False)
    assert team_caseload([26, 26], 25).over_target
    assert team_caseload([], 25).average is None and not team_caseload([], 25).over_target
    # 25.04 rounds to 25.0 but is above the target.
    assert team_caseload([25] * 24 + [26], 25).over_target


@given(st.lists(st.integers(0, 60), max_size=30), st.integers(1, 40))
def test_over_target_means_the_sum_exceeds_target_times_caseworkers(loads, target):
    t = team_caseload(loads, target)
    assert t.over_target == (bool(loads) and sum(loads) > target * len(loads))


def frames():
    assignments = pl.DataFrame(
        [
            (0, "c1", "k1", "Nord", "a", date(2024, 3, 1)),
            (1, "c1", "k1", "Nord", "b", date(2025, 2, 1)),  # a change in 2025
            (2, "c1", "k1", "Nord", "b", date(2025, 3, 1)),  # the same caseworker: none
            (3, "c2", "k2", "Nord", "a", date(2025, 1, 5)),  # the first: none
            (4, "c3", "k3", "Syd", "c", date(2024, 1, 1)),
            (5, "c3", "k3", "Syd", "d", date(2024, 6, 1)),  # a change, but in 2024
        ],
        schema=["assignment_id", "case_id", "child_id", "team", "caseworker", "date"],
        orient="row",
    )
    cases = pl.DataFrame(
        [
            ("c1", "k1", "Nord", date(2024, 3, 1), None),
            ("c2", "k2", "Nord", date(2025, 1, 5), date(2025, 7, 2)),
            ("c3", "k3", "Syd", date(2024, 1, 1), None),
        ],
        schema={"case_id": pl.String, "child_id": pl.String, "team": pl.String,
                "opened": pl.Date, "closed": pl.Date},
        orient="row",
    )  # fmt: skip
    complaints = pl.DataFrame(
        [
            ("1", "Nord", date(2025, 2, 1), "handling", "upheld"),
            ("2", "Nord", date(2025, 3, 1), "decision", None),
            ("3", "Syd", date(2024, 3, 1), "decision", "sent_to_ankestyrelsen"),
        ],
        schema={"complaint_id": pl.String, "team": pl.String, "date": pl.Date,
                "kind": pl.String, "outcome": pl.String},
        orient="row",
    )  # fmt: skip
    return assignments, cases, complaints


def test_caseworker_changes_per_team_and_case_in_the_year():
    q = kpi.evaluate(*frames(), Period.year(2025))
    north, south, total = q.changes["Nord"], q.changes["Syd"], q.changes[kpi.TOTAL]
    assert (north.changes, north.cases_open, north.cases_with_change) == (1, 2, 1)
    assert north.per_case == 0.5
    # c1 open all year (365 days), c2 from 5 January to 1 July (178 days).
    assert north.case_years == round((365 + 178) / 365.25, 4)
    assert (south.changes, south.cases_open, south.per_case) == (0, 1, 0.0)
    assert (total.changes, total.cases_open) == (1, 3)
    assert kpi.evaluate(*frames(), Period.year(2024)).changes["Syd"].changes == 1


def test_complaints_split_by_kind_and_outcome():
    q = kpi.evaluate(*frames(), Period.year(2025))
    north = q.complaints["Nord"]
    assert north.count == 2
    assert dict(north.by_kind) == {"decision": 1, "handling": 1}
    assert dict(north.by_outcome) == {"": 1, "upheld": 1}
    assert "Syd" not in q.complaints and q.complaints[kpi.TOTAL].count == 2
