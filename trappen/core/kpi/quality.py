"""Key figures of the quality data (F8 point 8; docs/keyfigures.md, "Quality"): caseworker
changes per case and the complaints by kind and outcome, per team and in total.

Pure: it takes polars frames (trappen/steering_data/quality.py builds them from the database)
and a `Period`.

- `assignments`: assignment_id (int, in the order they were made), case_id, child_id, team
  (the case's team today), caseworker, date (the day of the assignment).
- `cases`: case_id, child_id, team, opened, closed (null: open); open from `opened` up to, not
  including, `closed`.
- `complaints`: complaint_id, team, date (received), kind, outcome (null: not decided) and,
  optionally, ruling (Ankestyrelsen's ruling on a complaint sent on; null: none yet).

Ankestyrelsen's omgørelsesprocent is counted as Ankestyrelsen defines it ("antallet af
hjemviste og ændrede sager set i forhold til alle realitetsbehandlede sager"; the terms are rule
data, core/data/quality.json): the overturned rulings over those reviewed on the merits, per
team, for the complaints received in the period.

A change of caseworker is an assignment of a case to another caseworker than the one who had
it (core.quality.changes_of_caseworker); the first assignment is none. It is counted in the
period of its day, for the case's team today (a case transferred to another team counts its
changes there).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from trappen.core.kpi.period import Period
from trappen.core.quality import changes_of_caseworker

TOTAL = "total"
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class CaseworkerChanges:
    changes: int  # changes of caseworker dated in the period
    cases_open: int  # cases open some day of the period
    cases_with_change: int
    children_with_change: int
    case_years: float  # the open cases' days in the period / 365.25
    per_case: float | None  # changes / cases_open
    per_case_year: float | None  # changes / case_years: "per case per year"


@dataclass(frozen=True)
class ComplaintFigures:
    count: int
    by_kind: Mapping[str, int] = field(default_factory=dict)
    by_outcome: Mapping[str, int] = field(default_factory=dict)  # "" : not decided yet
    by_ruling: Mapping[str, int] = field(default_factory=dict)  # Ankestyrelsen's, when any
    reviewed: int = 0  # rulings on the merits (realitetsbehandlede)
    overturned: int = 0  # of them changed, annulled or sent back (omgjorte)

    @property
    def overturned_share(self) -> float | None:
        """Ankestyrelsen's omgørelsesprocent as a share (None: no ruling on the merits)."""
        return round(self.overturned / self.reviewed, 4) if self.reviewed else None


@dataclass(frozen=True)
class Quality:
    period: Period
    changes: Mapping[str, CaseworkerChanges]  # team → figures, and TOTAL
    complaints: Mapping[str, ComplaintFigures]  # team → figures, and TOTAL

    @property
    def teams(self) -> list[str]:
        names = (set(self.changes) | set(self.complaints)) - {TOTAL}
        return sorted(names, key=str.casefold)


def changes_in(assignments: pl.DataFrame, period: Period) -> pl.DataFrame:
    """The changes of caseworker dated in the period: case_id, child_id, team, date."""
    rows = assignments.sort("case_id", "assignment_id").rows(named=True)
    out: list[dict[str, object]] = []
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end]["case_id"] == rows[start]["case_id"]:
            end += 1
        history = rows[start:end]
        for i in changes_of_caseworker((r["assignment_id"], r["caseworker"]) for r in history):
            if period.contains(history[i]["date"]):
                row = history[i]
                out.append({k: row[k] for k in ("case_id", "child_id", "team", "date")})
        start = end
    schema = {"case_id": pl.String, "child_id": pl.String, "team": pl.String, "date": pl.Date}
    return pl.DataFrame(out, schema=schema, orient="row")


def _open_days(cases: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Per case open some day of the period: team and the days it was open in it."""
    start = pl.max_horizontal(pl.col("opened"), pl.lit(period.start))
    stop = pl.min_horizontal(pl.col("closed").fill_null(pl.lit(period.stop)), pl.lit(period.stop))
    return (
        cases.with_columns(days=(stop - start).dt.total_days())
        .filter(pl.col("days") > 0)
        .select("case_id", "team", "days")
    )


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def caseworker_changes(
    assignments: pl.DataFrame, cases: pl.DataFrame, period: Period
) -> dict[str, CaseworkerChanges]:
    changed = changes_in(assignments, period)
    open_days = _open_days(cases, period)
    teams = sorted(
        set(open_days.get_column("team").to_list()) | set(changed.get_column("team").to_list()),
        key=str.casefold,
    )
    out: dict[str, CaseworkerChanges] = {}
    for team in [*teams, TOTAL]:
        c = changed if team == TOTAL else changed.filter(pl.col("team") == team)
        o = open_days if team == TOTAL else open_days.filter(pl.col("team") == team)
        n, cases_open = c.height, o.height
        years = round(float(o.get_column("days").sum() or 0) / DAYS_PER_YEAR, 4)
        out[team] = CaseworkerChanges(
            changes=n,
            cases_open=cases_open,
            cases_with_change=c.get_column("case_id").n_unique(),
            children_with_change=c.get_column("child_id").n_unique(),
            case_years=years,
            per_case=_ratio(n, cases_open),
            per_case_year=_ratio(n, years),
        )
    return out


def complaint_figures(
    complaints: pl.DataFrame,
    period: Period,
    reviewed: Sequence[str] = (),
    overturned: Sequence[str] = (),
) -> dict[str, ComplaintFigures]:
    """Per team and in total: the complaints received in the period by kind, by outcome and by
    Ankestyrelsen's ruling; `reviewed` and `overturned` name the rulings on the merits and
    those that overturn (the rule data's terms)."""
    if "ruling" not in complaints.columns:
        complaints = complaints.with_columns(ruling=pl.lit(None, dtype=pl.String))
    dated = complaints.filter(
        pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end))
    ).with_columns(pl.col("outcome").fill_null(""))
    teams = sorted(set(dated.get_column("team").to_list()), key=str.casefold)
    out: dict[str, ComplaintFigures] = {}
    for team in [*teams, TOTAL]:
        rows = dated if team == TOTAL else dated.filter(pl.col("team") == team)

        def counts(column: str, frame: pl.DataFrame = rows) -> dict[str, int]:
            grouped = frame.group_by(column).len().sort(column)
            return {str(k): int(v) for k, v in grouped.iter_rows()}

        ruled = rows.filter(pl.col("ruling").is_not_null() & (pl.col("ruling") != ""))
        rulings = ruled.get_column("ruling")
        out[team] = ComplaintFigures(
            count=rows.height,
            by_kind=counts("kind"),
            by_outcome=counts("outcome"),
            by_ruling=counts("ruling", ruled),
            reviewed=int(rulings.is_in(list(reviewed)).sum()),
            overturned=int(rulings.is_in(list(overturned)).sum()),
        )
    return out


def evaluate(
    assignments: pl.DataFrame,
    cases: pl.DataFrame,
    complaints: pl.DataFrame,
    period: Period,
    reviewed: Sequence[str] = (),
    overturned: Sequence[str] = (),
) -> Quality:
    return Quality(
        period=period,
        changes=caseworker_changes(assignments, cases, period),
        complaints=complaint_figures(complaints, period, reviewed, overturned),
    )
