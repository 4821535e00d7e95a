"""The children of two groups in two periods, one row each, for the comparison's bootstrap.

`child_sample(ds, before, after, ...)`: per child of the treated or the control group placed
some day of either period, its placement days (in total and per category) and spending in
each period, computed as `report.placement_table` does, so that the sums over a group's
children are exactly that group's figures. A child placed in both periods is one row: the
bootstrap keeps its two periods together (the samples overlap, docs/statistics.md).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import Dataset
from trappen.core.kpi.frames import overlap_days
from trappen.core.kpi.period import Period
from trappen.core.kpi.prices import deflators
from trappen.core.kpi.report import _CATEGORY_OF_TYPE, CATEGORY_NAMES, _spending, prepare

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class ChildSample:
    """Rows: children (a child in a group; for "team" a child can be in two). Columns of the
    (n, 2) arrays: before, after. `period_days`: the two periods' lengths."""

    treated: NDArray[np.bool_]
    days: Floats  # placement days in the period
    category_days: Mapping[str, Floats]  # institution, family_care, home_based
    spending: Floats
    period_days: tuple[int, int]

    @property
    def size(self) -> int:
        return len(self.treated)

    def in_both(self, treated: bool) -> tuple[int, int]:
        """(children placed in both periods, children placed in either) of one group."""
        rows = self.treated == treated
        placed = self.days[rows] > 0
        return int(placed.all(axis=1).sum()), int(placed.any(axis=1).sum())


def child_sample(
    ds: Dataset,
    before: Period,
    after: Period,
    *,
    group_by: str,
    treated: str,
    control: str,
    prices: Mapping[int, float] | None = None,
    base_year: int | None = None,
) -> ChildSample:
    data = prepare(ds, group_by)
    codes = {name: i for i, name in enumerate(data.groups)}
    wanted = [codes[g] for g in (treated, control) if g in codes]
    groups = len(data.groups)
    placed = data.episodes.filter((pl.col("type") >= 0) & pl.col("g").is_in(wanted))
    keys: list[NDArray[np.int64]] = []
    columns: list[tuple[NDArray[np.int64], Floats, Floats]] = []
    for period in (before, after):
        rows = placed.select(
            "child",
            "g",
            "type",
            overlap_days(period).alias("days"),
            _spending(period, deflators(period, prices, base_year)).alias("spending"),
        ).filter(pl.col("days") > 0)
        key = rows.get_column("child").to_numpy().astype(np.int64) * groups + rows.get_column(
            "g"
        ).to_numpy().astype(np.int64)
        keys.append(key)
        columns.append(
            (
                _CATEGORY_OF_TYPE[rows.get_column("type").to_numpy().astype(np.int64)],
                rows.get_column("days").cast(pl.Float64).to_numpy(),
                rows.get_column("spending").cast(pl.Float64).to_numpy(),
            )
        )
    unique = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    n = len(unique)
    days = np.zeros((n, 2))
    spending = np.zeros((n, 2))
    category = {c: np.zeros((n, 2)) for c in CATEGORY_NAMES}
    for p, (key, (cat, d, s)) in enumerate(zip(keys, columns, strict=True)):
        row = np.searchsorted(unique, key)
        days[:, p] = np.bincount(row, weights=d, minlength=n)
        spending[:, p] = np.bincount(row, weights=s, minlength=n)
        for c, name in enumerate(CATEGORY_NAMES):
            category[name][:, p] = np.bincount(row, weights=np.where(cat == c, d, 0.0), minlength=n)
    treated_code = codes.get(treated, -1)
    return ChildSample(
        treated=(unique % groups) == treated_code,
        days=days,
        category_days=category,
        spending=spending,
        period_days=(before.days, after.days),
    )
