"""Building blocks of the key figures on Polars frames: overlap with a period, group keys.

Everything here is columnar: expressions and joins, no Python loop over rows.

Overlap. An episode is active from `start_date` up to, not including, `end_date` (null: still
running). Its overlap with a period is the number of the period's days on which it is active:

    max(0, min(end_date or +inf, period.end + 1 day) - max(start_date, period.start))

Group keys (`group_by`), one "group" column added to a table's rows:
- "group": the child's district → `districts.group`;
- "district": the child's district;
- "team": cases and complaints by their own `team`; episodes (and the follow-ups on them) by
  the team of the child's case open on the episode's start date, else of the child's latest
  case opened before it, else "unknown";
- "all": one group, "all".
A child whose district is null, or (for "group") not in the districts table, goes to
"unknown"; so does a row whose child is not in the children table, and a null team.
"""

from datetime import date

import polars as pl

from trappen.core.dataset import Dataset
from trappen.core.kpi.period import Period

GROUP_BY_CHOICES: tuple[str, ...] = ("group", "district", "team", "all")
UNKNOWN = "unknown"
ALL = "all"


def day_number(column: str | pl.Expr) -> pl.Expr:
    """A date column as an Int32 day number (days since 1970-01-01); null stays null."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.cast(pl.Int32)


def overlap_days(period: Period, start: str = "start_date", end: str = "end_date") -> pl.Expr:
    """Days of `period` on which a row active over `[start, end)` is active (Int64, >= 0).

    A null `end` means still running: the row is active to the end of the period.
    """
    # min_horizontal skips nulls: a null end is the period's stop.
    hi = pl.min_horizontal(pl.col(end), pl.lit(period.stop))
    lo = pl.max_horizontal(pl.col(start), pl.lit(period.start))
    return (day_number(hi) - day_number(lo)).cast(pl.Int64).clip(lower_bound=0)


def active_in(period: Period, start: str = "start_date", end: str = "end_date") -> pl.Expr:
    """Whether a row active over `[start, end)` is active on some day of `period`."""
    return (pl.col(start) <= pl.lit(period.end)) & (
        pl.col(end).is_null() | (pl.col(end) > pl.lit(period.start))
    )


def active_on(day: date, start: str = "start_date", end: str = "end_date") -> pl.Expr:
    """Whether a row active over `[start, end)` is active on `day`."""
    return (pl.col(start) <= pl.lit(day)) & (pl.col(end).is_null() | (pl.col(end) > pl.lit(day)))


def check_group_by(group_by: str) -> None:
    if group_by not in GROUP_BY_CHOICES:
        choices = ", ".join(GROUP_BY_CHOICES)
        raise ValueError(f"group_by must be one of {choices}, not {group_by!r}")


def child_groups(ds: Dataset, group_by: str) -> pl.DataFrame:
    """`child_id`, `group`: every child's key for "group", "district" or "all"."""
    check_group_by(group_by)
    children = ds.children.select("child_id", "district")
    if group_by == ALL:
        key = pl.lit(ALL)
    elif group_by == "district":
        key = pl.col("district")
    elif group_by == "group":
        groups = ds.districts.select("district", "group").unique("district", keep="first")
        children = children.join(groups, on="district", how="left")
        key = pl.col("group")
    else:
        raise ValueError("group_by 'team' has no key per child: see add_group()")
    return children.select("child_id", key.fill_null(UNKNOWN).cast(pl.String).alias("group"))


def case_team_on(ds: Dataset, frame: pl.DataFrame, on: str) -> pl.Series:
    """For each row of `frame` (with `child_id` and a date column `on`): the team of the
    child's case open on that date, else of the child's latest case opened before it, else
    "unknown". Row order is kept.
    """
    return team_asof(ds.cases, frame, on, by="child_id")


def team_asof(cases: pl.DataFrame, frame: pl.DataFrame, on: str, *, by: str) -> pl.Series:
    """`case_team_on` for frames keyed by any child column `by` (an id or a code); `cases`
    has `by`, `opened` and `team`."""
    return case_asof(cases, frame, on, by=by, value="team").fill_null(UNKNOWN).alias("group")


def case_asof(
    cases: pl.DataFrame, frame: pl.DataFrame, on: str, *, by: str, value: str
) -> pl.Series:
    """For each row of `frame`: column `value` of the child's latest case (`cases` with `by`,
    `opened`, `value`) opened on or before the date in column `on`; null when none. Row order
    is kept.

    A child has at most one open case at a time, so the latest case opened on or before the
    date is the one open on it when any is: one backward as-of join finds both.
    """
    right = cases.select(by, pl.col("opened").alias("_on"), value).drop_nulls("_on").sort("_on")
    rows = (
        frame.select(by, pl.col(on).alias("_on"))
        .with_row_index("_row")
        .sort("_on")  # nulls first: they find no case
    )
    joined = rows.join_asof(right, on="_on", by=by, strategy="backward", check_sortedness=False)
    return joined.sort("_row").get_column(value)


def add_group(
    ds: Dataset, frame: pl.DataFrame, group_by: str, *, team_date: str | None = None
) -> pl.DataFrame:
    """`frame` (with `child_id`) and a `group` column for `group_by`. Row order is kept.

    For "team": the frame's own `team` column when `team_date` is None (cases, complaints);
    else the team of the child's case on the date in column `team_date` (`case_team_on`).
    """
    check_group_by(group_by)
    if group_by == "team":
        if team_date is None:
            key = frame.get_column("team").fill_null(UNKNOWN).alias("group")
        else:
            key = case_team_on(ds, frame, team_date)
        return frame.with_columns(key)
    if group_by == ALL:
        return frame.with_columns(pl.lit(ALL).alias("group"))
    keys = child_groups(ds, group_by).unique("child_id", keep="first")
    return frame.join(keys, on="child_id", how="left", maintain_order="left").with_columns(
        pl.col("group").fill_null(UNKNOWN)
    )


def episodes_keyed(ds: Dataset, group_by: str) -> pl.DataFrame:
    """The episodes with their `group` (for "team": the case on the episode's start date)."""
    return add_group(ds, ds.episodes, group_by, team_date="start_date")


def cases_keyed(ds: Dataset, group_by: str) -> pl.DataFrame:
    """The cases with their `group` (for "team": the case's own team)."""
    return add_group(ds, ds.cases, group_by)


def complaints_keyed(ds: Dataset, group_by: str) -> pl.DataFrame:
    """The complaints with their `group` (for "team": the complaint's own team)."""
    return add_group(ds, ds.complaints, group_by)


def followups_keyed(ds: Dataset, group_by: str) -> pl.DataFrame:
    """The follow-ups on known episodes, with the episode's `group`, `step` and
    `placement_type` (a follow-up on an episode not in the dataset is left out)."""
    episodes = episodes_keyed(ds, group_by).select("episode_id", "group", "step", "placement_type")
    return ds.followups.join(episodes, on="episode_id", how="inner", maintain_order="left")
