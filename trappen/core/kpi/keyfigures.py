"""Socialstyrelsen's key-figure catalogue (nøgletalskatalog) of the 2015-2017 partnership.

`key_figures_coded()` gives the catalogue's eleven figures (`results.KeyFigures`) per group
from the frames evaluate() has already prepared: NumPy on integer codes. The exact definitions
are in docs/keyfigures.md; in short (a *stay* is a child's episodes of one kind joined when the
gap between one's end and the next one's start is at most 31 days):

- institution, foster (foster_ordinary + foster_special), network (foster_network),
  home_based (step 2, split by with and without a placement type), preventive (step 1,
  SEL § 11 stk. 3 / Barnets Lov § 32): children with an episode of the kind active some day,
  årsbørn (Σ overlap days ÷ days), new (children with a stay of the kind starting in the
  period), started (episodes of the kind starting in the period);
- institution_duration: the institution stays ending in the period, their mean and median;
- formerly_institution: where children went within 31 days of leaving an institution stay;
- home_based_movements: moves from step 2 up, down, or ending without a next measure;
- preventive_development: step-1 episodes started per half-year;
- spending on preventive measures and on placements; followups held and with the child.

Episodes that end on or before their start are never active and are left out everywhere. An
independent implementation on Polars frames, from the dataset's own rows, is the tests' oracle
(tests/core/kpi/oracle_keyfigures.py).
"""

from collections.abc import Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import CATEGORIES, FAMILY_CARE_TYPES, INSTITUTION_TYPES, Dataset
from trappen.core.kpi.period import Period
from trappen.core.kpi.results import (
    CatalogueFollowups,
    CatalogueSpending,
    Duration,
    Formerly,
    HomeBasedFigures,
    HomeBasedMovements,
    KeyFigures,
    KindFigures,
    Share,
)
from trappen.core.kpi.timeline import BRIDGE_DAYS, NONE, Moves, Timeline, bridged
from trappen.core.staircase import PlacementType

if TYPE_CHECKING:  # report imports this module
    from trappen.core.kpi.report import Prepared

Ints = NDArray[np.int64]
GAP_DAYS = BRIDGE_DAYS  # stays: episodes at most this many days apart are one stay
NEXT_STEP_KEYS = ("5", "4", "3", "2", "1", "0", "none")
MOVE_TARGETS = ("0", "1", "3", "4", "5", "none")

FOSTER = [
    t.value
    for t in FAMILY_CARE_TYPES
    if t in (PlacementType.FOSTER_ORDINARY, PlacementType.FOSTER_SPECIAL)
]
# The kinds of episode the catalogue counts. The two "home_based_*" kinds split home_based.
KIND_NAMES = (
    "institution",
    "foster",
    "network",
    "home_based",
    "preventive",
    "home_based_with_type",
    "home_based_without_type",
)
MAIN_KINDS = KIND_NAMES[:5]  # with stays, "new" and "started"
_EPOCH = date(1970, 1, 1)


def _day(day: date) -> int:
    return (day - _EPOCH).days


def _in(column: str, period: Period) -> pl.Expr:
    return pl.col(column).is_between(pl.lit(period.start), pl.lit(period.end))


# ---------------------------------------------------------------- assembling one group


def _num(value: float | None) -> float | None:
    """A figure for JSON, rounded to 6 decimals as evaluate() rounds (sums of floats in
    parallel group-bys may differ in the last bits from run to run)."""
    return None if value is None else round(float(value), 6)


def _ratio(a: float, b: float) -> float | None:
    return _num(a / b) if b else None


def assemble(name: str, parts: Mapping[str, Any], period: Period) -> KeyFigures:
    """One group's catalogue from the parts computed for every group: rows keyed by
    (group, key) or group, as `key_figures_coded` (and the tests' oracle) compute them."""

    def row(k: str) -> Mapping[str, Any]:
        found: Mapping[str, Any] = parts["kinds"].get((name, k), {})
        return found

    def kind(k: str) -> KindFigures:
        r = row(k)
        return KindFigures(
            children=int(r.get("children", 0)),
            aarsboern=_num(r.get("overlap", 0) / period.days),
            new=int(r.get("new", 0)),
            started=int(r.get("started", 0)),
        )

    def share(k: str) -> Share:
        r = row(k)
        return Share(int(r.get("children", 0)), _num(r.get("overlap", 0) / period.days))

    home = kind("home_based")
    duration = parts["duration"].get(name, {})
    next_step = {k: int(parts["formerly"].get((name, k), {}).get("len", 0)) for k in NEXT_STEP_KEYS}
    mv = parts["movements"]
    moved = {d: int(mv["children"].get((name, d), {}).get("n", 0)) for d in ("up", "down", "ended")}
    spending = parts["spending"].get(name, {})
    held = parts["followups"]["held"].get(name, {})
    count, talks = int(held.get("count", 0)), int(held.get("talks", 0))
    placed = int(parts["followups"]["placed"].get(name, {}).get("placed", 0))
    return KeyFigures(
        institution=kind("institution"),
        foster=kind("foster"),
        network=kind("network"),
        home_based=HomeBasedFigures(
            children=home.children,
            aarsboern=home.aarsboern,
            new=home.new,
            started=home.started,
            with_placement_type=share("home_based_with_type"),
            without_placement_type=share("home_based_without_type"),
        ),
        preventive=kind("preventive"),
        institution_duration=Duration(
            ended=int(duration.get("ended", 0)),
            mean_days=_num(duration.get("mean_days")),
            median_days=_num(duration.get("median_days")),
        ),
        formerly_institution=Formerly(children=sum(next_step.values()), next_step=next_step),
        home_based_movements=HomeBasedMovements(
            up=moved["up"],
            down=moved["down"],
            ended=moved["ended"],
            moves={t: int(mv["moves"].get((name, t), {}).get("len", 0)) for t in MOVE_TARGETS},
        ),
        preventive_development={
            half: int(parts["development"].get((name, half), {}).get("len", 0))
            for half, _ in period.half_years()
        },
        spending=CatalogueSpending(
            preventive=_num(spending.get("preventive") or 0.0),
            placements=_num(spending.get("placements") or 0.0),
        ),
        followups=CatalogueFollowups(
            count=count,
            with_child_conversation=talks,
            per_placed_child=_ratio(count, placed),
            share_with_child_conversation=_ratio(talks, count),
        ),
    )


# ---------------------------------------------------------------- from evaluate()'s codes

# The placement types in the order of report.TYPES: a coded episode's `type` indexes them.
_TYPES = tuple(t.value for types in CATEGORIES.values() for t in types)
_NO_END = 1 << 30  # day number standing for "no end" in the coded path: after every date
_NO_LEFT = -(1 << 40)  # "left no institution stay": before every date, even minus GAP_DAYS


def key_figures_coded(
    ds: Dataset,
    period: Period,
    data: "Prepared",
    child_group: Ints,
    fallback: int,
    timeline: Timeline,
    found: Moves,
    *,
    total: str,
) -> dict[str, KeyFigures]:
    """The catalogue per group (and under `total`, for every child), from what evaluate() has
    already computed (the tests' oracle, `key_figures_for_grouping`, gives the same from the
    dataset's rows): the integer-coded frames of `report.prepare()` (`data`), its step
    `timeline` and the `found` moves on it. `child_group` is each child code's group code (an
    index into `data.groups`), `fallback` the group code of a follow-up whose child has no
    code. Every child is in exactly one group, so the figures under `total` are the groups'
    sums (the mean and median stay lengths are computed over all stays).

    NumPy throughout: one row per live episode, group × kind cells summed with np.bincount,
    distinct children counted as distinct (cell, child) pairs."""
    names = [*data.groups, total]
    n_groups = len(data.groups)
    live = data.episodes.filter(
        pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("start_date"))
    )
    child, step, typ = (_column(live, c) for c in ("child", "step", "type"))
    start = _column(live, "start_date")
    end = live.get_column("end_date").cast(pl.Int32).cast(pl.Int64).fill_null(_NO_END).to_numpy()
    g = child_group[child]
    first, last = _day(period.start), _day(period.end)
    overlap = np.clip(np.minimum(end, last + 1) - np.maximum(start, first), 0, None)
    active = overlap > 0
    started = (start >= first) & (start <= last)
    member = _coded_kinds(step, typ)

    # Stays of the main kinds from every live episode (_stay_episodes' window only saves work).
    main = [np.flatnonzero(member[k]) for k in range(len(MAIN_KINDS))]
    rows = np.concatenate(main)
    stay_kind, stay_child, stay_start, stay_end = _coded_stays(
        np.repeat(np.arange(len(main)), [len(r) for r in main]), child[rows], start[rows], end[rows]
    )

    n_kinds = len(KIND_NAMES)
    in_kind = [np.flatnonzero(member[k] & active) for k in range(n_kinds)]
    at = np.concatenate(in_kind)
    kind_of = np.repeat(np.arange(n_kinds), [len(r) for r in in_kind])
    cell = g[at] * n_kinds + kind_of
    cells = n_groups * n_kinds

    def distinct(key: Ints, of: Ints, keys: int) -> Ints:
        return _distinct_children(key, of, keys, child_group, n_groups)

    fresh = (stay_start >= first) & (stay_start <= last)
    table = {
        "children": distinct(kind_of, child[at], n_kinds),
        "overlap": _bincount(cell, cells, overlap[at]),
        "started": _bincount(cell[started[at]], cells),
        "new": distinct(stay_kind[fresh], stay_child[fresh], n_kinds),
    }
    kinds: dict[Any, dict[str, Any]] = {}
    for column, values in table.items():
        per = values.reshape(n_groups, n_kinds)
        per = np.vstack([per, per.sum(axis=0)])
        for gi, name in enumerate(names):
            for k, kind in enumerate(KIND_NAMES):
                kinds.setdefault((name, kind), {})[column] = int(round(per[gi, k]))

    # Institution stays ending in the period: their length, and what came after.
    ended = (stay_kind == 0) & (stay_end >= first) & (stay_end <= last)
    e_child, e_end, e_days = stay_child[ended], stay_end[ended], (stay_end - stay_start)[ended]
    e_group = child_group[e_child]
    duration: dict[Any, dict[str, Any]] = {}
    for gi, name in enumerate(names):
        days = e_days if gi == n_groups else e_days[e_group == gi]
        if len(days):
            duration[name] = {
                "ended": len(days),
                "mean_days": float(days.sum()) / len(days),
                "median_days": float(np.median(days)),
            }
    left = np.full(data.children, _NO_LEFT, dtype=np.int64)
    np.maximum.at(left, e_child, e_end)  # the end of each child's last such stay
    leavers = np.flatnonzero(left != _NO_LEFT)
    follows = (start <= left[child] + GAP_DAYS) & (end > left[child])
    next_step = np.full(data.children, NONE, dtype=np.int64)
    np.maximum.at(next_step, child[follows], step[follows])
    nxt = next_step[leavers]
    column_of = np.where(nxt == NONE, len(NEXT_STEP_KEYS) - 1, 5 - nxt)  # "5" … "0", "none"
    formerly = _keyed(
        names,
        _bincount(child_group[leavers] * len(NEXT_STEP_KEYS) + column_of, n_groups * 7),
        NEXT_STEP_KEYS,
        "len",
    )

    # Moves from step 2 (evaluate()'s moves), and the bridged step going from 2 to none.
    bridged_step = bridged(timeline)
    t_child, t_day = timeline.child, timeline.day
    ends_two = np.zeros(len(t_child), dtype=np.bool_)
    if len(t_child) > 1:
        ends_two[1:] = (
            (bridged_step[:-1] == 2)
            & (t_child[:-1] == t_child[1:])
            & (bridged_step[1:] == NONE)
            & (t_day[1:] >= first)
            & (t_day[1:] <= last)
        )
    from_two = found.source == 2
    m_child = np.concatenate([found.child[from_two], t_child[ends_two]])
    target = np.concatenate([found.target[from_two], np.full(int(ends_two.sum()), NONE)])
    # Columns: MOVE_TARGETS ("0", "1", "3", "4", "5", "none"); directions up, down, ended.
    target_column = np.array([0, 1, -1, 2, 3, 4])[np.maximum(target, 0)]
    target_column = np.where(target == NONE, len(MOVE_TARGETS) - 1, target_column)
    direction = np.where(target == NONE, 2, np.where(target > 2, 0, 1))
    m_group = child_group[m_child]
    movements = {
        "moves": _keyed(
            names,
            _bincount(m_group * len(MOVE_TARGETS) + target_column, n_groups * len(MOVE_TARGETS)),
            MOVE_TARGETS,
            "len",
        ),
        "children": _keyed(
            names,
            distinct(direction, m_child, 3),
            ("up", "down", "ended"),
            "n",
        ),
    }

    halves = period.half_years()
    half_starts = np.array([_day(part.start) for _, part in halves], dtype=np.int64)
    begun = (step == 1) & started
    half = np.searchsorted(half_starts, start[begun], side="right") - 1
    development = _keyed(
        names,
        _bincount(g[begun] * len(halves) + half, n_groups * len(halves)),
        [label for label, _ in halves],
        "len",
    )

    cost = overlap * live.get_column("daily_cost").cast(pl.Float64).fill_null(0.0).to_numpy()
    preventive = active & (typ < 0) & ((step == 1) | (step == 2))
    placed = active & (typ >= 0)
    spent = {
        "preventive": _bincount(g[preventive], n_groups, cost[preventive]),
        "placements": _bincount(g[placed], n_groups, cost[placed]),
    }
    count, talks = _coded_followups(ds, period, data, child_group, fallback)
    placed_children = distinct(np.zeros(int(placed.sum()), dtype=np.int64), child[placed], 1)

    def of(values: NDArray[Any], gi: int) -> Any:
        return values[gi] if gi < n_groups else values.sum()

    parts = {
        "kinds": kinds,
        "duration": duration,
        "formerly": formerly,
        "movements": movements,
        "development": development,
        "spending": {
            name: {k: float(of(v, gi)) for k, v in spent.items()} for gi, name in enumerate(names)
        },
        "followups": {
            "held": {
                name: {"count": int(of(count, gi)), "talks": int(of(talks, gi))}
                for gi, name in enumerate(names)
            },
            "placed": {
                name: {"placed": int(of(placed_children, gi))} for gi, name in enumerate(names)
            },
        },
    }
    return {name: assemble(name, parts, period) for name in names}


def _column(frame: pl.DataFrame, column: str) -> Ints:
    """A column without nulls as int64 (Date: day numbers)."""
    series = frame.get_column(column)
    if series.dtype == pl.Date:
        series = series.cast(pl.Int32)
    return series.cast(pl.Int64).to_numpy()


def _coded_kinds(step: Ints, typ: Ints) -> list[NDArray[np.bool_]]:
    """Per kind of KIND_NAMES: which coded episodes are of it (as _KINDS on the strings)."""

    def of(types: Collection[str]) -> NDArray[np.bool_]:
        table = np.zeros(len(_TYPES) + 1, dtype=np.bool_)  # by type + 1 (0: no type)
        table[[_TYPES.index(t) + 1 for t in types]] = True
        return table[typ + 1]

    by_kind = {
        "institution": of([t.value for t in INSTITUTION_TYPES]),
        "foster": of(FOSTER),
        "network": of([PlacementType.FOSTER_NETWORK.value]),
        "home_based": step == 2,
        "preventive": step == 1,
        "home_based_with_type": (step == 2) & (typ >= 0),
        "home_based_without_type": (step == 2) & (typ < 0),
    }
    return [by_kind[k] for k in KIND_NAMES]


def _coded_stays(kind: Ints, child: Ints, start: Ints, end: Ints) -> tuple[Ints, Ints, Ints, Ints]:
    """`_stays` on day numbers (end _NO_END: running): kind, child, start and end of each stay.

    One sort by a packed key (kind, child, start); the latest end so far within each (kind,
    child) block is one running maximum, block b's ends lifted by b × 2³² above the earlier
    blocks'."""
    if len(kind) == 0:
        return kind, child, start, end
    origin = int(start.min())
    children = int(child.max()) + 1
    span = int(start.max()) - origin + 1
    order = pl.Series(((kind * children + child) * span) + (start - origin)).arg_sort().to_numpy()
    kind, child, start, end = kind[order], child[order], start[order], end[order]
    block = kind * children + child
    first = np.ones(len(block), dtype=np.bool_)
    first[1:] = block[1:] != block[:-1]
    lift = np.cumsum(first, dtype=np.int64) << 32
    run = np.maximum.accumulate(lift + (end - origin)) - lift + origin
    new = first.copy()
    new[1:] |= start[1:] - run[:-1] > GAP_DAYS
    closing = np.ones(len(new), dtype=np.bool_)
    closing[:-1] = new[1:]
    return kind[new], child[new], start[new], run[closing]


def _distinct_children(key: Ints, child: Ints, keys: int, child_group: Ints, groups: int) -> Ints:
    """Per group × key (flat, groups first): the distinct children among the rows (row i:
    `key[i]` < keys, `child[i]`), each child in its group `child_group[child]`. A table of
    flags key × child, no sort or hash."""
    seen = np.zeros((keys, len(child_group)), dtype=np.bool_)
    seen[key, child] = True
    k, c = np.nonzero(seen)
    return np.bincount(child_group[c] * keys + k, minlength=groups * keys).astype(np.int64)


def _bincount(cell: Ints, cells: int, weights: NDArray[Any] | None = None) -> NDArray[Any]:
    """Per cell: the number of rows, or the sum of `weights`."""
    if weights is None:
        return np.bincount(cell, minlength=cells).astype(np.int64)
    return np.bincount(cell, weights=weights.astype(np.float64), minlength=cells)


def _keyed(
    names: list[str], counts: Ints, keys: Collection[str], field: str
) -> dict[Any, dict[str, Any]]:
    """Counts per group × key (flat, groups first; the last name: their sum) as the
    {(name, key): {field: n}} rows _assemble reads."""
    per = counts.reshape(len(names) - 1, len(keys))
    per = np.vstack([per, per.sum(axis=0)])
    return {
        (name, key): {field: int(per[gi, k])}
        for gi, name in enumerate(names)
        for k, key in enumerate(keys)
    }


def _coded_followups(
    ds: Dataset, period: Period, data: "Prepared", child_group: Ints, fallback: int
) -> tuple[Ints, Ints]:
    """Per group code: the follow-ups dated in the period, and those with the child, by the
    group of the follow-up's child (`fallback` for a child with no code). A follow-up
    without a child id belongs to no group, as in `key_figures_by_group`."""
    per_child = (
        ds.followups.lazy()
        .filter(_in("date", period) & pl.col("child_id").is_not_null())
        .group_by("child_id")
        .agg(count=pl.len(), talks=pl.col("child_conversation").fill_null(False).sum())
        .collect()
    )
    codes = pl.DataFrame(
        {"child_id": data.ids, "child": pl.int_range(len(data.ids), eager=True, dtype=pl.Int64)}
    )
    coded = per_child.join(codes, on="child_id", how="left")
    code = coded.get_column("child").fill_null(-1).to_numpy()
    group = np.where(code >= 0, child_group[np.maximum(code, 0)], fallback)
    n = len(data.groups)
    return (
        _bincount(group, n, coded.get_column("count").to_numpy()).astype(np.int64),
        _bincount(group, n, coded.get_column("talks").to_numpy()).astype(np.int64),
    )
