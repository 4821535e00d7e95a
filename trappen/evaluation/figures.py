"""One evaluation: what is asked (`Query`), and the key figures computed for it (`Figures`).

The command (`trappen evaluate`) and the steering pages both go through `compute()`: one call
of `kpi.evaluate` per period and, with a comparison period and a treated and a control group,
one `kpi.compare`. The comparison period is the "before" (the baseline, KORA's "medio 2013"),
the main period the "after" ("ultimo 2015").
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from trappen.core import kpi
from trappen.core.dataset import Dataset
from trappen.core.kpi import Period
from trappen.core.kpi.compare import Comparison, compare
from trappen.core.kpi.quality import Quality
from trappen.core.kpi.results import Report
from trappen.core.kpi.samples import child_sample
from trappen.core.kpi.wellbeing import SdqFigures
from trappen.core.kpi.wellbeing import evaluate as evaluate_wellbeing
from trappen.evaluation.targets import Trend, over_time


@dataclass(frozen=True)
class Query:
    period: Period
    before: Period | None = None  # the comparison period
    group_by: str = "group"
    treated: str | None = None
    control: str | None = None
    prices: tuple[tuple[int, float], ...] | None = None  # year → index, as a hashable tuple
    base_year: int | None = None
    # The steering page's panels, computed with the figures and kept with them in the cache:
    # the programme's targets over time (evaluation/targets.py) and the quality figures
    # (caseworker changes and complaints, read by limits.figures_for).
    trend: bool = False
    quality: bool = False

    @property
    def compares(self) -> bool:
        return self.before is not None

    @property
    def tests(self) -> bool:
        """Whether the comparison has a treated and a control group (difference-in-differences
        and significance tests)."""
        return self.compares and bool(self.treated) and bool(self.control)


@dataclass(frozen=True)
class Figures:
    query: Query
    after: Report  # the main period
    before: Report | None = None  # the comparison period
    comparison: "Comparison | None" = None  # kpi.compare(before, after, ...)
    wellbeing: SdqFigures | None = None  # SDQ coverage and change in the main period
    trend: Trend | None = None  # the targets' figures per half-year or year (Query.trend)
    quality: Quality | None = None  # caseworker changes and complaints (Query.quality)
    # Follow-ups on time as the due lists stood on `targets.followup_days` (day → group name,
    # "" for the municipality → share), read with the trend (Query.trend, by group).
    followups: Mapping[date, Mapping[str, float | None]] | None = None
    computed_at: datetime = field(default_factory=datetime.now)

    @property
    def reports(self) -> list[Report]:
        return [r for r in (self.before, self.after) if r is not None]

    @property
    def group_names(self) -> list[str]:
        """Every group of either period: sorted, "unknown" last."""
        names = {name for report in self.reports for name in report.groups}
        return sorted(names, key=lambda n: (n == "unknown", n.casefold()))

    @property
    def is_empty(self) -> bool:
        """No case, episode or complaint touches the period(s): nothing to show."""
        return all(report.total.is_empty for report in self.reports)

    def as_data(self) -> dict[str, Any]:
        """What `trappen evaluate --json` prints: the report, or before/after/comparison."""
        wellbeing = None if self.wellbeing is None else self.wellbeing.as_dict()
        if self.before is None:
            return {**self.after.as_dict(), "wellbeing": wellbeing}
        comparison = None if self.comparison is None else self.comparison.as_dict()
        return {
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "comparison": comparison,
            "wellbeing": wellbeing,
        }

    def as_json(self) -> str:
        return json.dumps(self.as_data(), ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def compute(ds: Dataset, query: Query) -> Figures:
    prices = dict(query.prices) if query.prices else None

    def evaluate(period: Period, q: Query = query) -> Report:
        return kpi.evaluate(ds, period, group_by=q.group_by, prices=prices, base_year=q.base_year)

    after = evaluate(query.period)
    wellbeing = evaluate_wellbeing(
        ds,
        query.period,
        group_by=query.group_by,
        treated=query.treated if query.group_by == "group" else None,
        control=query.control if query.group_by == "group" else None,
    )
    trend = None
    if query.trend:
        trend = over_time(
            ds,
            query.period,
            query.before,
            group_by=query.group_by,
            prices=prices,
            base_year=query.base_year,
        )
    if query.before is None:
        return Figures(query, after, wellbeing=wellbeing, trend=trend)
    before = evaluate(query.before)
    comparison = None
    if query.tests and query.treated and query.control:
        paired: dict[str, Any] = {}
        if query.group_by == "group":
            # Paired tests over the districts of the two groups: the same periods by district.
            by_district = Query(query.period, group_by="district", base_year=query.base_year)
            paired = {
                "before_units": evaluate(query.before, by_district).as_dict(),
                "after_units": evaluate(query.period, by_district).as_dict(),
                "unit_groups": dict(ds.districts.select("district", "group").iter_rows()),
            }
        # The children of both groups, for the bootstrap of shares and unit costs.
        children = child_sample(
            ds,
            query.before,
            query.period,
            group_by=query.group_by,
            treated=query.treated,
            control=query.control,
            prices=prices,
            base_year=query.base_year,
        )
        comparison = compare(  # compare() reads the reports' JSON
            before.as_dict(),
            after.as_dict(),
            treated=query.treated,
            control=query.control,
            children=children,
            **paired,
        )
    return Figures(query, after, before, comparison, wellbeing=wellbeing, trend=trend)
