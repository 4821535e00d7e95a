"""The programme's targets (data/targets.json) read against the key figures: per group and in
total, for the period and the period before it (the trend), as traffic lights.

The rule is `core.targets` (pure); this module reads the data file and takes each figure from
the typed `Report` (`core.kpi.results`). Follow-ups on time are not a key figure of the period:
they come from today's due lists (`followups_on_time`), given by the caller. A figure the key
figures do not have (SDQ coverage until it is computed) is "not measured yet", never red.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from trappen.core.kpi import Period
from trappen.core.kpi.results import GroupFigures, Report, ReportPeriod
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

DATA = Path(__file__).resolve().parent / "data" / "targets.json"


@cache
def all_targets() -> tuple[Target, ...]:
    return tuple(targets_from_data(json.loads(DATA.read_text(encoding="utf-8"))))


def targets_on(day: date) -> list[Target]:
    return in_force(all_targets(), day)


def _sdq_coverage(figures: GroupFigures) -> float | None:
    """SDQ coverage once the key figures carry it (`sdq_coverage` on the group or its key
    figures); None until then."""
    for holder in (figures, figures.key_figures):
        value = getattr(holder, "sdq_coverage", None)
        if isinstance(value, (int, float)):
            return float(value)
        share = getattr(value, "share", None)
        if isinstance(share, (int, float)):
            return float(share)
    return None


def values_of(figures: GroupFigures) -> dict[str, float | None]:
    """The figures each target reads, from one group's key figures."""
    placed = figures.placed_aarsboern
    return {
        "family_care_share": family_care_share(placed.family_care, placed.institution),
        "mean_caseload": figures.caseload.mean,
        "assessments_on_time": figures.intake.share_in_time,
        "sdq_coverage": _sdq_coverage(figures),
    }


@dataclass(frozen=True)
class Row:
    """One target: its reading now and before, per group and in total."""

    target: Target
    total: Reading
    before: Reading | None
    groups: list[tuple[str, Reading]]

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


def board(
    after: Report,
    before: Report | None = None,
    *,
    followups_on_time: float | None = None,
    followups_by_group: dict[str, float | None] | None = None,
) -> Board:
    """Every target in force at the period's end, read in `after` (and `before`, the trend)."""
    targets = targets_on(after.period.end)
    names = sorted(after.groups, key=lambda n: (n == "unknown", n.casefold()))

    def values(figures: GroupFigures, followups: float | None) -> dict[str, Any]:
        return {**values_of(figures), "followups_on_time": followups}

    by_group = followups_by_group or {}
    now = {r.target.key: r for r in evaluate(targets, values(after.total, followups_on_time))}
    then = (
        {r.target.key: r for r in evaluate(targets, values(before.total, None))}
        if before is not None
        else {}
    )
    per_group = {
        name: {r.target.key: r for r in evaluate(targets, values(g, by_group.get(name)))}
        for name, g in after.groups.items()
    }
    rows = [
        Row(
            t,
            now[t.key],
            then.get(t.key),
            [(name, per_group[name][t.key]) for name in names],
        )
        for t in targets
    ]
    return Board(after.period, before.period if before else None, names, rows)


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
