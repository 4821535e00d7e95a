"""`evaluate()`: every key figure of the KORA evaluation for one period, by group and in total.

The exact definitions, with worked examples, are in docs/kpi.md; each function below says
which figure it computes. All of it is columnar, no Python loop over rows:

- `prepare` gives every row an integer `child` code and an integer group code `g` (an index
  into `Prepared.groups`), with Polars joins, by the rules of `frames` (`add_group`);
- row-wise figures (overlap days, spending, half-year numbers) are Polars expressions;
- the aggregation is NumPy: every row falls into a *cell* (group × kind, group × category ×
  half-year, …), sums are `np.bincount` over cells, and distinct children are the distinct
  `(cell, child)` pairs. The total is one more pass without the group (distinct counts are not
  sums over the groups); counts that are sums over the groups are summed.
- where a child stands on the staircase is the sorted sweep of `timeline.py`.

Python loops run over groups, kinds, half-years and dates only, to build the `Report`.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import CATEGORIES, Dataset, EndReason
from trappen.core.kpi.frames import (
    ALL,
    UNKNOWN,
    active_in,
    active_on,
    check_group_by,
    child_groups,
    complaints_keyed,
    overlap_days,
)
from trappen.core.kpi.intake import activity_counts, intake, received_in
from trappen.core.kpi.keyfigures import key_figures_coded
from trappen.core.kpi.period import Period
from trappen.core.kpi.prices import deflators
from trappen.core.kpi.results import (
    Breakdowns,
    ByPlacement,
    Caseload,
    Complaints,
    GroupFigures,
    Movements,
    Report,
    ReportPeriod,
)
from trappen.core.kpi.timeline import (
    NONE,
    STEPS,
    Moves,
    Timeline,
    last_on_or_before,
    moves,
    step_timeline,
    take,
)
from trappen.core.staircase import PlacementType

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]

TOTAL = "\x00total"  # the key of the total in the internal tables; no group is called that
TYPES: tuple[str, ...] = tuple(t.value for types in CATEGORIES.values() for t in types)
CATEGORY_NAMES: tuple[str, ...] = tuple(CATEGORIES)
# The category of each placement type, as indices into TYPES and CATEGORY_NAMES.
_CATEGORY_OF_TYPE = np.array(
    [CATEGORY_NAMES.index(c) for c, types in CATEGORIES.items() for _ in types], dtype=np.int64
)
# The columns of the placement tables: total, the categories, the types.
KINDS: tuple[str, ...] = ("total", *CATEGORY_NAMES)
PREVENTIVE = "preventive"
FOLLOWUP_CATEGORIES: tuple[str, ...] = (*CATEGORY_NAMES, PREVENTIVE)
UNDER_CLARIFICATION = "under_clarification"
MOVE_KEYS: tuple[str, ...] = tuple(f"{s}->{t}" for s in STEPS for t in STEPS if s != t)

if set(TYPES) != {t.value for t in PlacementType}:  # pragma: no cover - a new type lacks one
    raise RuntimeError("every placement type must have a category in core.dataset.CATEGORIES")


def _num(value: float | None) -> float | None:
    """A figure for JSON: rounded to 6 decimals; None stays None."""
    return None if value is None else round(float(value), 6)


def _ratio(numerator: float, denominator: float) -> float | None:
    return _num(numerator / denominator) if denominator else None


def _day(d: date) -> int:
    """A date as a day number (days since 1970-01-01), as Polars stores a Date."""
    return d.toordinal() - date(1970, 1, 1).toordinal()


def _ints(frame: pl.DataFrame, column: str) -> Ints:
    """A column without nulls as int64 (Date: day numbers)."""
    series = frame.get_column(column)
    if series.dtype == pl.Date:
        series = series.cast(pl.Int32)
    return series.cast(pl.Int64).to_numpy()


def _distinct(cell: Ints, child: Ints, cells: int) -> Ints:
    """Per cell (0 ≤ cell < cells): the number of distinct children among its rows."""
    if len(cell) == 0:
        return np.zeros(cells, dtype=np.int64)
    width = int(child.max()) + 1
    pairs = pl.Series(cell * width + child).unique().to_numpy()
    return np.bincount(pairs // width, minlength=cells).astype(np.int64)


def _tally(cell: Ints, cells: int, weights: Floats | None = None) -> NDArray[Any]:
    """Per cell: the number of rows (int64), or the sum of `weights` (float64)."""
    if weights is None:
        return np.bincount(cell, minlength=cells).astype(np.int64)
    return np.bincount(cell, weights=weights, minlength=cells)


def _join_on_id(left: pl.DataFrame, right: pl.DataFrame, on: str) -> pl.DataFrame:
    """The inner join of two frames on a string id column `on`, as a join on the ids' 64-bit
    hashes (faster than on the strings) that then keeps only the pairs whose ids are equal:
    exact, whatever the hashes."""
    hashed = [f.with_columns(pl.col(on).hash().alias("_hash")) for f in (left, right)]
    return (
        hashed[0]
        .join(hashed[1], on="_hash", how="inner", suffix="_right")
        .filter(pl.col(on) == pl.col(f"{on}_right"))
        .drop("_hash", f"{on}_right")
    )


@dataclass(frozen=True)
class Prepared:
    """The tables as the figures need them, keyed by integer codes.

    `groups`: the group names (sorted); a row's `g` is an index into them. `child`: one code
    per child id. episodes: child, g, step, type (index into TYPES, -1: not a placement),
    start_date, end_date, daily_cost, end_reason, episode_id. cases: child, g, opened, closed,
    caseworker. complaints: g, date. `child_group`: each child code's g (for "team": unused).
    `ids`: each child code's child id.
    """

    groups: tuple[str, ...]
    episodes: pl.DataFrame
    cases: pl.DataFrame
    complaints: pl.DataFrame
    child_group: Ints
    ids: pl.Series

    @property
    def children(self) -> int:
        return len(self.child_group)


def _case_group_on(cases: pl.DataFrame, child: Ints, day: Ints, unknown: int) -> Ints:
    """The group code `g` of each child's latest case opened on or before the day, else
    `unknown`: `frames.case_asof` on integer codes, by a binary search over the cases."""
    known = cases.filter(pl.col("opened").is_not_null()).sort(
        "child", "opened", maintain_order=True
    )
    row = last_on_or_before(_ints(known, "child"), _ints(known, "opened"), child, day)
    return take(_ints(known, "g"), row, unknown)


def _codes(names: pl.Series, groups: Sequence[str]) -> pl.Series:
    mapping = {name: i for i, name in enumerate(groups)}
    return names.fill_null(UNKNOWN).replace_strict(mapping, return_dtype=pl.Int64).alias("g")


def prepare(ds: Dataset, group_by: str) -> Prepared:
    """Give every child an integer code and every row its group code, by the rules of
    `frames`: the same keys as `add_group`, computed once for all figures."""
    check_group_by(group_by)
    complaints = complaints_keyed(ds, group_by).select("group", "date")
    if group_by == "team":
        people = ds.children.select("child_id", pl.lit(UNKNOWN).alias("group"))
        named = ds.districts.get_column("team")
        own = [ds.cases.get_column("team"), complaints.get_column("group")]
    else:
        people = child_groups(ds, group_by)
        named = ds.districts.get_column("district" if group_by == "district" else "group")
        own = [people.get_column("group"), complaints.get_column("group")]
    if group_by == ALL:
        named = pl.Series([ALL])
    names = {UNKNOWN, *named.drop_nulls().to_list()}
    for column in own:
        names.update(column.drop_nulls().unique().to_list())
    groups = tuple(sorted(names))

    people = people.unique("child_id", keep="first", maintain_order=True)
    people = people.select(
        "child_id",
        pl.int_range(pl.len(), dtype=pl.Int64).alias("child"),
        _codes(people.get_column("group"), groups),
    )
    episodes = ds.episodes.join(people, on="child_id", how="left", maintain_order="left")
    cases = ds.cases.join(people, on="child_id", how="left", maintain_order="left")
    # Children the children table lacks: codes after its own, in the unknown group.
    missing = pl.concat(
        [
            episodes.filter(pl.col("child").is_null()).get_column("child_id"),
            cases.filter(pl.col("child").is_null()).get_column("child_id"),
        ]
    ).unique(maintain_order=True)
    if len(missing):
        extra = pl.DataFrame({"child_id": missing}).select(
            "child_id",
            (pl.int_range(pl.len(), dtype=pl.Int64) + people.height).alias("child"),
            pl.lit(groups.index(ALL if group_by == ALL else UNKNOWN), pl.Int64).alias("g"),
        )
        people = pl.concat([people, extra])
        episodes = ds.episodes.join(people, on="child_id", how="left", maintain_order="left")
        cases = ds.cases.join(people, on="child_id", how="left", maintain_order="left")
    if group_by == "team":
        cases = cases.with_columns(_codes(cases.get_column("team"), groups))
        team = _case_group_on(
            cases, _ints(episodes, "child"), _ints(episodes, "start_date"), groups.index(UNKNOWN)
        )
        episodes = episodes.with_columns(pl.Series("g", team))

    types = set(episodes.get_column("placement_type").drop_nulls().unique().to_list())
    if strange := sorted(types - set(TYPES)):
        raise ValueError(f"unknown placement type(s): {', '.join(strange)}")
    if episodes.select(~pl.col("step").is_between(min(STEPS), max(STEPS)).all()).item():
        raise ValueError("an episode's step must be 0–5")
    type_index = {t: i for i, t in enumerate(TYPES)}
    return Prepared(
        groups=groups,
        episodes=episodes.select(
            "child",
            "g",
            "step",
            pl.col("placement_type")
            .replace_strict(type_index, default=-1, return_dtype=pl.Int64)
            .alias("type"),
            "start_date",
            "end_date",
            "daily_cost",
            "end_reason",
            "episode_id",
        ),
        cases=cases.select("child", "g", "opened", "closed", "caseworker"),
        complaints=complaints.select(_codes(complaints.get_column("group"), groups), "date"),
        child_group=people.sort("child").get_column("g").to_numpy(),
        ids=people.sort("child").get_column("child_id"),
    )


def _spending(period: Period, factors: Mapping[int, float] | None) -> pl.Expr:
    """Σ over the episode's days in the period of daily_cost (× the day's year's factor)."""
    if factors is None:
        return pl.col("daily_cost") * overlap_days(period)
    weighted = pl.lit(0.0)
    for year, factor in factors.items():
        part = Period.year(year).clip(period)
        if part is not None:
            weighted = weighted + overlap_days(part).cast(pl.Float64) * factor
    return pl.col("daily_cost") * weighted


@dataclass(frozen=True)
class PlacementTable:
    """Per group (rows; the last row: all groups) and kind (columns: total, the categories in
    CATEGORY_NAMES, then the types in TYPES): placement days in the period, spending, and
    distinct children placed some day of it."""

    days: Ints
    spending: Floats
    children: Ints

    COLUMNS = (*KINDS, *TYPES)

    def row(self, g: int) -> dict[str, tuple[int, float, int]]:
        return {
            kind: (int(self.days[g, k]), float(self.spending[g, k]), int(self.children[g, k]))
            for k, kind in enumerate(self.COLUMNS)
        }


def placement_table(
    data: Prepared, period: Period, factors: Mapping[int, float] | None
) -> PlacementTable:
    """Placement days, spending and children of the placement episodes active in the period,
    by group and kind."""
    placed = (
        data.episodes.filter(pl.col("type") >= 0)
        .select(
            "child",
            "g",
            "type",
            overlap_days(period).alias("days"),
            _spending(period, factors).alias("spending"),
        )
        .filter(pl.col("days") > 0)
    )
    child, g, t = _ints(placed, "child"), _ints(placed, "g"), _ints(placed, "type")
    days = placed.get_column("days").cast(pl.Float64).to_numpy()
    spending = placed.get_column("spending").to_numpy()
    groups, n_types, n_cats = len(data.groups), len(TYPES), len(CATEGORY_NAMES)
    c = _CATEGORY_OF_TYPE[t]

    def by_kind(weights: Floats) -> Floats:
        """Sums per group × type, widened to total | categories | types, plus the total row."""
        per_type = _tally(g * n_types + t, groups * n_types, weights).reshape(groups, n_types)
        per_type = np.vstack([per_type, per_type.sum(axis=0)])
        per_cat = per_type @ np.eye(n_cats)[_CATEGORY_OF_TYPE]  # types summed by category
        return np.hstack([per_type.sum(axis=1)[:, None], per_cat, per_type])

    def distinct(cell: Ints, cells: int) -> Ints:
        return _distinct(cell, child, cells)

    zero = np.zeros(len(t), dtype=np.int64)
    children = np.hstack(
        [
            np.append(distinct(g, groups), distinct(zero, 1))[:, None],
            np.vstack(
                [
                    distinct(g * n_cats + c, groups * n_cats).reshape(groups, n_cats),
                    distinct(c, n_cats),
                ]
            ),
            np.vstack(
                [
                    distinct(g * n_types + t, groups * n_types).reshape(groups, n_types),
                    distinct(t, n_types),
                ]
            ),
        ]
    )
    return PlacementTable(
        days=np.rint(by_kind(days)).astype(np.int64),
        spending=by_kind(spending),
        children=children,
    )


def placement_figures(
    sums: Mapping[str, tuple[int, float, int]], days: int
) -> dict[str, ByPlacement[Any]]:
    """placed_aarsboern, placed_children, share_of_placed, spending and unit_cost of one group,
    from its (placement days, spending, children) per kind."""
    total_days = sums["total"][0]

    def figure(value: Callable[[int, float, int], Any]) -> ByPlacement[Any]:
        return ByPlacement(
            total=value(*sums["total"]),
            institution=value(*sums["institution"]),
            family_care=value(*sums["family_care"]),
            home_based=value(*sums["home_based"]),
            by_type={t: value(*sums[t]) for t in TYPES},
        )

    return {
        "placed_aarsboern": figure(lambda d, s, n: _num(d / days)),
        "placed_children": figure(lambda d, s, n: n),
        "share_of_placed": figure(lambda d, s, n: _ratio(d, total_days)),
        "spending": figure(lambda d, s, n: _num(s)),
        "unit_cost": figure(lambda d, s, n: _ratio(s * days, d)),  # spending / (d / days)
    }


def _with_total(per_group: Ints) -> Ints:
    """Per-group counts along the first axis, with their sum over the groups appended."""
    return np.concatenate([per_group, per_group.sum(axis=0, keepdims=True)])


def breakdowns(data: Prepared, period: Period) -> Ints:
    """Per group (+ total): placement episodes that ended in a breakdown on a day of the
    period."""
    ended = data.episodes.filter(
        (pl.col("type") >= 0)
        & (pl.col("end_reason") == EndReason.BREAKDOWN.value)
        & pl.col("end_date").is_between(pl.lit(period.start), pl.lit(period.end))
    )
    return _with_total(_tally(_ints(ended, "g"), len(data.groups)))


def complaint_counts(data: Prepared, period: Period) -> tuple[Ints, Ints, Ints]:
    """Per group (+ total): complaints dated in the period; cases open some day of it; and
    the days those cases are open in the period (÷ days: the average number of open cases)."""
    complaints = data.complaints.filter(
        pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end))
    )
    cases = data.cases.filter(active_in(period, "opened", "closed")).select(
        "g", overlap_days(period, "opened", "closed").alias("days")
    )
    groups, g = len(data.groups), _ints(cases, "g")
    open_days = _tally(g, groups, cases.get_column("days").cast(pl.Float64).to_numpy())
    return (
        _with_total(_tally(_ints(complaints, "g"), groups)),
        _with_total(_tally(g, groups)),
        _with_total(np.rint(open_days).astype(np.int64)),
    )


def _expand(lo: Ints, hi: Ints) -> tuple[Ints, Ints]:
    """One row per (i, k) with lo[i] <= k < hi[i]: the rows' i and k, in order of i then k."""
    count = np.maximum(hi - lo, 0)
    row = np.repeat(np.arange(len(lo)), count)
    k = lo[row] + np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
    return row, k


def followups_per_case(
    ds: Dataset, data: Prepared, period: Period, *, kora: bool = True
) -> NDArray[np.float64]:
    """Per group (+ total), follow-up category (institution, family_care, home_based,
    preventive) and half-year of the period: follow-ups dated in the half-year on episodes of
    the category ÷ distinct children with such an episode active some day of it (NaN: none).

    `kora`: KORA's figure 2.2, "opfølgninger i servicelovens forstand": only follow-ups with a
    child conversation (every follow-up in trappen records the plan's review), and only on
    measures with a follow-up duty — placements and the § 52 measures of step 2, not the
    step-1 prevention of SEL § 11, stk. 3 / Barnets Lov § 30 (the interchange has no column
    for the paragraph: step 1 stands for it, docs/keyfigures.md). Without it: every follow-up,
    by phone or mail too, on every episode from step 1 (`followups_all_per_case`)."""
    # A day's half-year: the last half-year start on or before it.
    starts = np.array([_day(half.start) for _, half in period.half_years()], dtype=np.int64)
    halves, groups, n_cats = len(starts), len(data.groups), len(FOLLOWUP_CATEGORIES)
    category = pl.col("type").replace_strict(
        dict(enumerate(_CATEGORY_OF_TYPE.tolist())), default=None, return_dtype=pl.Int64
    )
    episodes = data.episodes.select(
        "child",
        "g",
        "episode_id",
        "start_date",
        "end_date",
        pl.when(pl.col("type") >= 0)
        .then(category)
        .when(pl.col("step") >= (2 if kora else 1))
        .then(FOLLOWUP_CATEGORIES.index(PREVENTIVE))
        .cast(pl.Int64)
        .alias("cat"),
    ).filter(pl.col("cat").is_not_null())
    # Each episode spans the half-years from its first to its last day in the period: one
    # row per (episode, half-year), never one per day.
    spans = episodes.filter(overlap_days(period) > 0).select(
        "child",
        "g",
        "cat",
        pl.max_horizontal("start_date", pl.lit(period.start)).alias("first"),
        pl.min_horizontal("end_date", pl.lit(period.stop)).cast(pl.Int32).sub(1).alias("last"),
    )
    row, h = _expand(
        np.searchsorted(starts, _ints(spans, "first"), side="right") - 1,
        np.searchsorted(starts, _ints(spans, "last"), side="right"),
    )
    child, g, cat = (_ints(spans, c)[row] for c in ("child", "g", "cat"))
    cells = n_cats * halves
    per_group = _distinct((g * n_cats + cat) * halves + h, child, groups * cells).reshape(
        groups, cells
    )
    if np.array_equal(g, data.child_group[child]):  # one group per child: the total is a sum
        total = per_group.sum(axis=0)
    else:
        total = _distinct(cat * halves + h, child, cells)
    children = np.vstack([per_group, total[None, :]])
    talked = pl.col("child_conversation").fill_null(False) if kora else pl.lit(True)
    followed = (
        ds.followups.filter(talked)
        .select("episode_id", "date")
        .filter(pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end)))
        .pipe(_join_on_id, episodes.select("episode_id", "g", "cat"), "episode_id")
    )
    g, cat = _ints(followed, "g"), _ints(followed, "cat")
    h = np.searchsorted(starts, _ints(followed, "date"), side="right") - 1
    held = _with_total(
        _tally((g * n_cats + cat) * halves + h, groups * cells).reshape(groups, cells)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(children > 0, held / np.maximum(children, 1), np.nan)
    return rate.reshape(groups + 1, n_cats, halves)


def _by_half(rates: NDArray[np.float64], halves: list[str]) -> dict[str, dict[str, float | None]]:
    """One group's follow-up rates (category × half-year) as half-year → category → rate."""
    return {
        label: {
            c: None if np.isnan(v := rates[i, h]) else _num(v)
            for i, c in enumerate(FOLLOWUP_CATEGORIES)
        }
        for h, label in enumerate(halves)
    }


def default_step_dates(period: Period) -> list[date]:
    """The last day of every quarter inside the period, and the period's last day."""
    return sorted({*period.quarter_ends(), period.end})


def step_counts(data: Prepared, timeline: Timeline, dates: Sequence[date]) -> Ints:
    """Per group (+ total), date and step (0–5, then under clarification): the children with a
    case open that day, by the highest step among their episodes active that day."""
    groups, width = len(data.groups), len(STEPS) + 1
    days = np.array([_day(d) for d in dates], dtype=np.int64)
    # By child, so that the look-ups below come in the timeline's order (a fast search).
    cases = data.cases.filter(pl.col("opened").is_not_null()).sort("child", "opened")
    opened = _ints(cases, "opened")
    closed = cases.get_column("closed").cast(pl.Int32).fill_null(np.iinfo(np.int32).max)
    # The step dates a case is open on are a run of the sorted dates: [lo, hi).
    row, k = _expand(
        np.searchsorted(days, opened, side="left"),
        np.searchsorted(days, closed.cast(pl.Int64).to_numpy(), side="left"),
    )
    child, g = _ints(cases, "child")[row], _ints(cases, "g")[row]
    # A child counts once per date, even with two cases open (which should not happen): in
    # the group of the case opened first. Rows are already by child and date unless so.
    key = child * max(len(days), 1) + k
    if len(key) > 1 and not bool(np.all(key[1:] > key[:-1])):
        order = np.argsort(key, kind="stable")
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = key[order][1:] != key[order][:-1]
        once = order[first]
        child, g, k = child[once], g[once], k[once]
    step = timeline.steps_at(child, days[k])
    column = np.where(step == NONE, len(STEPS), step)
    per_group = _tally((g * len(days) + k) * width + column, groups * len(days) * width)
    return _with_total(per_group.reshape(groups, len(days), width))


def movement_counts(
    data: Prepared, timeline: Timeline, period: Period, group_by: str, found: Moves | None = None
) -> Ints:
    """Per group (+ total): moves on the staircase on days of the period, as a table
    source step × target step. `found`: those moves, when already computed."""
    if found is None:
        found = moves(timeline, _day(period.start), _day(period.end))
    if group_by == "team":
        group = _case_group_on(data.cases, found.child, found.day, data.groups.index(UNKNOWN))
    else:
        group = data.child_group[found.child]
    n = len(STEPS)
    cell = (group * n + found.source) * n + found.target
    return _with_total(_tally(cell, len(data.groups) * n * n).reshape(-1, n, n))


def caseload(data: Prepared, period: Period) -> dict[int, dict[str, int]]:
    """Per group code (and -1: total): open cases per caseworker on the period's last day."""
    open_cases = data.cases.filter(active_on(period.end, "opened", "closed")).select(
        "g", pl.col("caseworker").fill_null(UNKNOWN)
    )
    table = pl.concat(
        [
            open_cases.group_by("g", "caseworker").len(),
            open_cases.group_by("caseworker").len().select(pl.lit(-1).alias("g"), pl.all()),
        ],
        how="vertical_relaxed",
    ).sort("caseworker")
    out: dict[int, dict[str, int]] = {}
    for g, worker, n in table.iter_rows():
        out.setdefault(int(g), {})[worker] = int(n)
    return out


def _caseload(period: Period, counts: Mapping[str, int]) -> Caseload:
    known = [n for worker, n in counts.items() if worker != UNKNOWN]
    return Caseload(
        date=period.end.isoformat(),
        by_caseworker=dict(counts),
        mean=_num(sum(known) / len(known)) if known else None,
        max=max(known) if known else None,
    )


def _reported(ds: Dataset, data: Prepared, group_by: str, *counts: Ints) -> list[int]:
    """The group codes to report: every group the districts table names, and every group
    some row falls into (e.g. "unknown")."""
    if group_by == ALL:
        return [data.groups.index(ALL)]
    column = {"group": "group", "district": "district", "team": "team"}[group_by]
    named = set(ds.districts.get_column(column).drop_nulls().to_list())
    used = np.zeros(len(data.groups), dtype=np.bool_)
    for g in (
        _ints(data.episodes, "g"),
        _ints(data.cases, "g"),
        _ints(data.complaints, "g"),
        data.child_group if group_by != "team" else np.zeros(0, dtype=np.int64),
    ):
        used[np.unique(g)] = True
    return [i for i, name in enumerate(data.groups) if used[i] or name in named]


def catalogue_groups(data: Prepared, period: Period, group_by: str) -> Ints:
    """Each child code's group code in the key-figure catalogue: its own (`child_group`), or
    for "team" the team of its latest case opened on or before the period's last day
    (as the tests' oracle, `key_figures_for_grouping`, has it)."""
    if group_by != "team":
        return data.child_group
    codes = np.arange(data.children, dtype=np.int64)
    last = np.full(data.children, _day(period.end), dtype=np.int64)
    return _case_group_on(data.cases, codes, last, data.groups.index(UNKNOWN))


def notification_groups(data: Prepared, notes: pl.DataFrame, group_by: str) -> Ints:
    """Each notification's group code: its child's (`child_group`), or for "team" the team of
    the child's latest case opened on or before the day it was received; a child without a
    code: "unknown" (or "all")."""
    codes = pl.DataFrame(
        {"child_id": data.ids, "child": pl.int_range(len(data.ids), eager=True, dtype=pl.Int64)}
    )
    coded = notes.select("child_id", "received").join(
        codes, on="child_id", how="left", maintain_order="left"
    )
    child = coded.get_column("child").fill_null(-1).to_numpy()
    known = child >= 0
    unknown = data.groups.index(UNKNOWN)
    if group_by == "team":
        group = np.full(len(child), unknown, dtype=np.int64)
        day = coded.get_column("received").cast(pl.Int32).cast(pl.Int64).to_numpy()
        group[known] = _case_group_on(data.cases, child[known], day[known], unknown)
        return group
    return np.where(known, data.child_group[np.maximum(child, 0)], _fallback(data, group_by))


def _fallback(data: Prepared, group_by: str) -> int:
    """The catalogue's group code for a follow-up's child that has no child code."""
    return data.groups.index(ALL if group_by == ALL else UNKNOWN)


def evaluate(
    ds: Dataset,
    period: Period,
    *,
    group_by: str = "group",
    step_dates: Sequence[date] | None = None,
    prices: Mapping[int, float] | None = None,
    base_year: int | None = None,
) -> Report:
    """Every key figure of `ds` for `period`, per group of `group_by` and in total
    (`Report.as_dict()`: the JSON of docs/kpi.md)."""
    check_group_by(group_by)
    factors = deflators(period, prices, base_year)
    dates = default_step_dates(period) if step_dates is None else sorted(set(step_dates))
    data = prepare(ds, group_by)
    timeline = step_timeline(data.episodes)

    placed = placement_table(data, period, factors)
    broken = breakdowns(data, period)
    complaints, open_cases, case_days = complaint_counts(data, period)
    followups = followups_per_case(ds, data, period)
    all_followups = followups_per_case(ds, data, period, kora=False)
    steps = step_counts(data, timeline, dates)
    found = moves(timeline, _day(period.start), _day(period.end))
    movements = movement_counts(data, timeline, period, group_by, found)
    loads = caseload(data, period)
    catalogue = key_figures_coded(
        ds,
        period,
        data,
        catalogue_groups(data, period, group_by),
        _fallback(data, group_by),
        timeline,
        found,
        total=TOTAL,
    )
    notes = received_in(ds, period)
    intakes = intake(notes, notification_groups(data, notes, group_by), len(data.groups))
    halves = [label for label, _ in period.half_years()]
    step_keys = [*(str(s) for s in STEPS), UNDER_CLARIFICATION]

    def figures(g: int) -> GroupFigures:
        """The figures of group code g; g = len(groups): the total."""
        sums = placed.row(g)
        moved = movements[g]
        return GroupFigures(
            **placement_figures(sums, period.days),
            breakdowns=Breakdowns(  # count / (placement days / days): kept exact, not rounded
                count=int(broken[g]),
                per_placed_aarsboern=_ratio(int(broken[g]) * period.days, sums["total"][0]),
            ),
            complaints=Complaints(
                count=int(complaints[g]),
                cases=int(open_cases[g]),
                open_cases=_num(int(case_days[g]) / period.days),
                # Per average open case, as KORA's table 3.2 counts (docs/calibration.md).
                share=_ratio(int(complaints[g]) * period.days, int(case_days[g])),
            ),
            followups_per_case=_by_half(followups[g], halves),
            followups_all_per_case=_by_half(all_followups[g], halves),
            step_counts={
                d.isoformat(): {
                    **{key: int(n) for key, n in zip(step_keys, steps[g, k], strict=True)},
                    "total": int(steps[g, k].sum()),
                }
                for k, d in enumerate(dates)
            },
            movements=Movements(
                moves={f"{s}->{t}": int(moved[s, t]) for s in STEPS for t in STEPS if s != t},
                down=int(np.tril(moved, -1).sum()),
                up=int(np.triu(moved, 1).sum()),
            ),
            caseload=_caseload(period, loads.get(g if g < len(data.groups) else -1, {})),
            key_figures=catalogue[data.groups[g] if g < len(data.groups) else TOTAL],
            intake=intakes[g],
        )

    reported = _reported(ds, data, group_by)
    return Report(
        period=ReportPeriod(period.start, period.end, period.days),
        group_by=group_by,
        base_year=base_year,
        groups={data.groups[g]: figures(g) for g in reported},
        total=figures(len(data.groups)),
        activities=activity_counts(ds, period),
    )
