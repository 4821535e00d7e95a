"""The programme's targets (core/data/targets.json) read against the key figures: per group
and in total, for the period and the period before it (the trend), as traffic lights.

The rule is `core.targets` (pure); this module reads the data file and takes each figure from
the typed `Report` (`core.kpi.results`) and the wellbeing figures (`core.kpi.wellbeing`: SDQ
coverage). Follow-ups on time are not a key figure of the period: they come from today's due
lists (`followups_on_time`), given by the caller. A figure that cannot be measured (nobody in
care, no notification) is "not measured yet", never red.

Over time (`over_time`): the same figures in the half-years (or, over more than two years, the
years) of the period, computed with the period's figures and kept with them in the steering's
shared cache (`Query.trend`), so the page reads nothing more for them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from trappen.core import ruledata
from trappen.core.dataset import Dataset
from trappen.core.kpi import Period
from trappen.core.kpi.report import evaluate as evaluate_report
from trappen.core.kpi.results import GroupFigures, Report, ReportPeriod
from trappen.core.kpi.wellbeing import SdqFigures
from trappen.core.kpi.wellbeing import evaluate as evaluate_wellbeing
from trappen.core.targets import (
    Light,
    Reading,
    Target,
    evaluate,
    family_care_share,
    in_force,
    targets_from_data,
)
from trappen.core.targets import trend as trend_of


@cache
def all_targets() -> tuple[Target, ...]:
    return tuple(targets_from_data(ruledata.load("targets.json")))


def targets_on(day: date) -> list[Target]:
    return in_force(all_targets(), day)


# The informant the SDQ coverage target counts: every child 4-17 has a parent's SDQ (the
# teacher's needs a school, the self-report an age of 11), docs/targets.md.
SDQ_INFORMANT = "parent"
TOTAL = ""  # the key of the municipality's value beside the groups' names


def sdq_coverage(wellbeing: SdqFigures | None, group: str | None = None) -> float | None:
    """The share of the children in care with a first and a later SDQ by a parent (F9's
    coverage, `SdqFigures.coverage`), in `group` or (None) over every group; None when nobody
    is in care or the figures are not there."""
    if wellbeing is None:
        return None
    rows = [
        c
        for c in wellbeing.coverage
        if c.informant == SDQ_INFORMANT and (group is None or c.group == group)
    ]
    in_care = sum(c.in_care for c in rows)
    return sum(c.paired for c in rows) / in_care if in_care else None


def values_of(
    figures: GroupFigures, wellbeing: SdqFigures | None = None, group: str | None = None
) -> dict[str, float | None]:
    """The figures each target reads, from one group's key figures (`group` None: the total)
    and the period's wellbeing figures."""
    placed = figures.placed_aarsboern
    return {
        "family_care_share": family_care_share(placed.family_care, placed.institution),
        "mean_caseload": figures.caseload.mean,
        "assessments_on_time": figures.intake.share_in_time,
        "sdq_coverage": sdq_coverage(wellbeing, group),
    }


@dataclass(frozen=True)
class Trend:
    """The targets' figures in consecutive slices of a period: figure key → group name (TOTAL
    for the municipality) → one value per slice (None: not measured)."""

    slices: tuple[Period, ...]
    values: Mapping[str, Mapping[str, tuple[float | None, ...]]]


MAX_SLICES = 10


def _months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def slices(start: date, end: date) -> list[Period]:
    """The half-years ending on `end` back to `start` (the earliest one cut at `start`); whole
    years instead when the span is longer than two years, at most the last MAX_SLICES."""
    months = 6 if (end - start).days < 2 * 366 else 12
    out: list[Period] = []
    stop = end
    while stop >= start and len(out) < MAX_SLICES:
        begin = max(start, _months_before(stop + timedelta(days=1), months))
        out.append(Period(begin, stop))
        stop = begin - timedelta(days=1)
    return out[::-1]


def trend_span(period: Period, before: Period | None) -> tuple[date, date]:
    """What the trend covers: the period, from the comparison period's start when it has one
    that lies before it."""
    start = before.start if before is not None and before.start < period.start else period.start
    return start, period.end


def over_time(
    ds: Dataset,
    period: Period,
    before: Period | None = None,
    *,
    group_by: str = "group",
    prices: Mapping[int, float] | None = None,
    base_year: int | None = None,
) -> Trend:
    """The targets' figures per slice of the period (`slices`), per group and in total.
    Follow-ups on time are not in the dataset: `followup_days` says when they are read."""
    parts = tuple(slices(*trend_span(period, before)))
    values: dict[str, dict[str, list[float | None]]] = {}
    for i, part in enumerate(parts):
        report = evaluate_report(
            ds, part, group_by=group_by, step_dates=[part.end], prices=prices, base_year=base_year
        )
        wellbeing = evaluate_wellbeing(ds, part, group_by=group_by)
        measured = {TOTAL: values_of(report.total, wellbeing)}
        for name, figures in report.groups.items():
            measured[name] = values_of(figures, wellbeing, name)
        for group, figures_of in measured.items():
            for key, value in figures_of.items():
                values.setdefault(key, {}).setdefault(group, [None] * len(parts))[i] = value
    return Trend(
        parts,
        {k: {g: tuple(v) for g, v in groups.items()} for k, groups in values.items()},
    )


def followup_days(period: Period, before: Period | None, today: date) -> list[date]:
    """The days follow-ups on time are read on as the due lists stood at their end: each
    trend slice's last day and the comparison period's, none after today."""
    days = [part.end for part in slices(*trend_span(period, before))]
    if before is not None:
        days.append(before.end)
    return sorted({day for day in days if day <= today})


@dataclass(frozen=True)
class Row:
    """One target: its reading now and before, per group and in total, and over time."""

    target: Target
    total: Reading
    before: Reading | None
    groups: list[tuple[str, Reading]]
    over_time: list[Reading] = field(default_factory=list)  # the total, one per slice
    groups_over_time: list[tuple[str, list[Reading]]] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.before is None:
            return None
        return trend_of([self.before.value, self.total.value])

    @property
    def improves(self) -> bool | None:
        return self.target.improves(self.change)

    @property
    def light(self) -> Light:
        return self.total.light


@dataclass(frozen=True)
class Board:
    period: ReportPeriod
    before_period: ReportPeriod | None
    group_names: list[str]
    rows: list[Row]
    slices: tuple[Period, ...] = ()  # the trend's, oldest first; () without a trend


def board(
    after: Report,
    before: Report | None = None,
    *,
    wellbeing: SdqFigures | None = None,
    trend: Trend | None = None,
    followups_on_time: float | None = None,
    followups_by_group: dict[str, float | None] | None = None,
    followups_history: Mapping[date, Mapping[str, float | None]] | None = None,
) -> Board:
    """Every target in force at the period's end, read in `after` (and `before`, the change),
    SDQ coverage in the period's `wellbeing`, and `trend` per slice. Follow-ups on time: as
    the due lists stood at the end of the period, of the comparison period and of each slice
    (`followups_history`: day → group, TOTAL → share); today's (`followups_by_group` given,
    the period reaching today) stand instead in the total, the groups and the last slice."""
    targets = targets_on(after.period.end)
    names = sorted(after.groups, key=lambda n: (n == "unknown", n.casefold()))
    past = followups_history or {}
    live = followups_by_group is not None
    if not live:
        at_end = past.get(after.period.end, {})
        followups_on_time = at_end.get(TOTAL)
        followups_by_group = {g: v for g, v in at_end.items() if g != TOTAL}
    by_group = followups_by_group or {}

    def values(
        figures: GroupFigures, followups: float | None, group: str | None = None
    ) -> dict[str, Any]:
        return {**values_of(figures, wellbeing, group), "followups_on_time": followups}

    now = {r.target.key: r for r in evaluate(targets, values(after.total, followups_on_time))}
    then = (
        {
            r.target.key: r
            for r in evaluate(
                targets,
                {
                    **values_of(before.total),
                    "followups_on_time": past.get(before.period.end, {}).get(TOTAL),
                },
            )
        }
        if before is not None
        else {}
    )
    per_group = {
        name: {r.target.key: r for r in evaluate(targets, values(g, by_group.get(name), name))}
        for name, g in after.groups.items()
    }

    def history(t: Target, group: str, today: float | None) -> list[Reading]:
        if trend is None:
            return []
        measured = list(trend.values.get(t.key, {}).get(group, (None,) * len(trend.slices)))
        if t.key == "followups_on_time":
            measured = [past.get(part.end, {}).get(group) for part in trend.slices]
            if live and measured:
                measured[-1] = today  # today's due lists: the last slice, reaching today
        return [Reading(t, v) for v in measured]

    rows = [
        Row(
            t,
            now[t.key],
            then.get(t.key),
            [(name, per_group[name][t.key]) for name in names],
            history(t, TOTAL, followups_on_time),
            [(name, history(t, name, by_group.get(name))) for name in names] if trend else [],
        )
        for t in targets
    ]
    return Board(
        after.period,
        before.period if before else None,
        names,
        rows,
        trend.slices if trend is not None else (),
    )


def home_periods(today: date) -> tuple[Period, Period]:
    """The leader's and analyst's home: the last twelve months, and the twelve before them."""
    start = today - timedelta(days=364)
    return Period(start, today), Period(start - timedelta(days=365), start - timedelta(days=1))


def fmt(target: Target, value: float | None) -> str:
    """A target's figure as the page shows it: a share in whole per cent, cases to one
    decimal (Danish decimal comma); "" when not measured."""
    if value is None:
        return ""
    if target.unit == "share":
        return f"{round(100 * value)} %"
    return f"{value:.1f}".replace(".", ",")
