"""The quality figures (caseworker changes, complaints by kind) from the database: the frames
`trappen.core.kpi.quality` reads, for the whole municipality (the steering) or one team (the
team page). Three queries; counts only, no names or CPR numbers."""

from typing import Any

import polars as pl
from django.utils import timezone

from trappen.cases import quality_rules
from trappen.cases.models import Case, CaseAssignment, Complaint
from trappen.core.kpi import quality
from trappen.core.kpi.period import Period

ASSIGNMENTS = {
    "assignment_id": pl.Int64,
    "case_id": pl.String,
    "child_id": pl.String,
    "team": pl.String,
    "caseworker": pl.String,
    "date": pl.Date,
}
CASES = {
    "case_id": pl.String,
    "child_id": pl.String,
    "team": pl.String,
    "opened": pl.Date,
    "closed": pl.Date,
}
COMPLAINTS = {
    "complaint_id": pl.String,
    "team": pl.String,
    "date": pl.Date,
    "kind": pl.String,
    "outcome": pl.String,
    "ruling": pl.String,
}


def _frame(rows: list[tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def frames(period: Period, team: Any = None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(assignments, cases, complaints) of the cases open some day up to the period's end (of
    `team` only, when given): every assignment of those cases, for the changes need the one
    before."""
    cases_q = Case.objects.filter(opened_on__lte=period.end).exclude(closed_on__lt=period.start)
    complaints_q = Complaint.objects.filter(received_on__range=(period.start, period.end))
    if team is not None:
        cases_q = cases_q.filter(team=team)
        complaints_q = complaints_q.filter(team=team)
    case_rows = list(
        cases_q.order_by("pk").values_list("pk", "child_id", "team__name", "opened_on", "closed_on")
    )
    assignment_rows = [
        (pk, str(case), str(child), team_name, str(worker), timezone.localdate(at))
        for pk, case, child, team_name, worker, at in CaseAssignment.objects.filter(
            case__in=cases_q
        )
        .order_by("assigned_at", "pk")
        .values_list(
            "pk", "case_id", "case__child_id", "case__team__name", "caseworker_id", "assigned_at"
        )
    ]
    # The order the assignments were made in: by time, then by pk.
    assignment_rows = [(i, *row[1:]) for i, row in enumerate(assignment_rows)]
    complaint_rows = list(
        complaints_q.order_by("pk").values_list(
            "pk", "team__name", "received_on", "kind", "outcome", "ruling"
        )
    )
    return (
        _frame(assignment_rows, ASSIGNMENTS),
        _frame([(str(p), str(c), t, o, cl) for p, c, t, o, cl in case_rows], CASES),
        _frame(
            [(str(p), t, d, k, o or None, r or None) for p, t, d, k, o, r in complaint_rows],
            COMPLAINTS,
        ),
    )


def figures(period: Period, team: Any = None) -> quality.Quality:
    """The quality figures of the period, for the municipality or one team."""
    terms = quality_rules.rulings()
    return quality.evaluate(*frames(period, team), period, terms["reviewed"], terms["overturned"])
