"""The figures of the notifications (the 24-hour assessment and the way to the first measure)
and the professions' activities, from the Dataset's `notifications` and `activities`
(docs/keyfigures.md, "Notifications and the first measure")."""

from collections.abc import Sequence

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import Dataset
from trappen.core.kpi.frames import UNKNOWN
from trappen.core.kpi.period import Period
from trappen.core.kpi.results import Intake

Ints = NDArray[np.int64]


def received_in(ds: Dataset, period: Period) -> pl.DataFrame:
    """The notifications received on a day of the period, in their order, with `in_time` (the
    assessment made by its deadline) and `days` (to the child's first measure; null: none)."""
    notes = ds.notifications.filter(
        pl.col("received").is_between(pl.lit(period.start), pl.lit(period.end))
    ).with_row_index("_row")
    measures = (
        ds.episodes.filter(
            pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("start_date"))
        )
        .select("child_id", pl.col("start_date").alias("_start"))
        .sort("_start")
    )
    first = (
        notes.sort("received")
        .join_asof(
            measures,
            left_on="received",
            right_on="_start",
            by="child_id",
            strategy="forward",
            check_sortedness=False,  # both sorted just above; polars cannot check it by group
        )
        .sort("_row")
    )
    return first.select(
        "child_id",
        "received",
        (pl.col("assessed_at").is_not_null() & (pl.col("assessed_at") <= pl.col("deadline")))
        .fill_null(False)
        .alias("in_time"),
        (pl.col("_start") - pl.col("received")).dt.total_days().alias("days"),
    )


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def intake(notes: pl.DataFrame, group: Ints, groups: int) -> list[Intake]:
    """Per group code (0 ≤ group < groups), then the total: the figures of `notes`
    (`received_in`), each in the group `group[i]`."""
    in_time = notes.get_column("in_time").to_numpy().astype(np.bool_)
    days = notes.get_column("days").cast(pl.Float64).fill_null(np.nan).to_numpy()
    out = []
    for g in [*range(groups), -1]:
        rows = np.ones(len(group), dtype=np.bool_) if g < 0 else group == g
        received = int(rows.sum())
        assessed = int((rows & in_time).sum())
        waited = days[rows & ~np.isnan(days)]
        out.append(
            Intake(
                received=received,
                assessed_in_time=assessed,
                share_in_time=_num(assessed / received) if received else None,
                with_measure=len(waited),
                mean_days_to_measure=_num(float(waited.mean())) if len(waited) else None,
                median_days_to_measure=_num(float(np.median(waited))) if len(waited) else None,
            )
        )
    return out


def activity_counts(ds: Dataset, period: Period) -> dict[str, dict[str, dict[str, int]]]:
    """Activities held in the period: half-year → the group of the child's district → kind →
    number (a child with no known district: "unknown")."""
    halves: Sequence[tuple[str, Period]] = period.half_years()
    label: pl.Expr = pl.lit(None, pl.String)
    for name, part in reversed(halves):
        label = (
            pl.when(pl.col("date").is_between(pl.lit(part.start), pl.lit(part.end)))
            .then(pl.lit(name))
            .otherwise(label)
        )
    groups = ds.children.select("child_id", "district").join(
        ds.districts.select("district", "group"), on="district", how="left"
    )
    counted = (
        ds.activities.filter(pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end)))
        .join(groups.select("child_id", "group"), on="child_id", how="left")
        .select(label.alias("half"), pl.col("group").fill_null(UNKNOWN), "kind")
        .group_by("half", "group", "kind")
        .len()
        .sort("half", "group", "kind")
    )
    out: dict[str, dict[str, dict[str, int]]] = {}
    for half, group, kind, n in counted.iter_rows():
        out.setdefault(half, {}).setdefault(group, {})[kind] = int(n)
    return out
