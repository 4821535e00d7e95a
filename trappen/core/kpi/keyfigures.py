"""Socialstyrelsen's key-figure catalogue (nøgletalskatalog) of the 2015-2017 partnership.

`key_figures(ds, period, children=...)` gives the catalogue's eleven figures for one set of
children (a group's children; None: every child in the data); `key_figures_by_group()` gives
them for many groups at once from one pass over the data; `key_figures_coded()` gives what
`key_figures_for_grouping()` gives from the frames evaluate() has already prepared (NumPy on
integer codes: what evaluate() uses). The exact definitions are in
docs/keyfigures.md; in short (a *stay* is a child's episodes of one kind joined when the gap
between one's end and the next one's start is at most 31 days):

    {
      "institution": KIND,              # placement_type residential / socio-pedagogical / secure
      "institution_duration": {"ended": n, "mean_days": x | None, "median_days": x | None},
      "foster": KIND,                   # foster_ordinary + foster_special
      "network": KIND,                  # foster_network
      "home_based": KIND + {"with_placement_type": {"children", "aarsboern"},
                            "without_placement_type": {"children", "aarsboern"}},   # step 2
      "preventive": KIND,               # step 1 (SEL § 11 stk. 3 / Barnets Lov § 32)
      "formerly_institution": {"children": n,
                               "next_step": {"5", "4", "3", "2", "1", "0", "none": n}},
      "home_based_movements": {"up": n, "down": n, "ended": n,          # children
                               "moves": {"0", "1", "3", "4", "5", "none": n}},  # moves
      "preventive_development": {"2015H1": n, ...},     # step-1 episodes started
      "spending": {"preventive": dkk, "placements": dkk},
      "followups": {"count": n, "with_child_conversation": n,
                    "per_placed_child": x | None, "share_with_child_conversation": x | None},
    }
    KIND = {"children": n,     # children with an episode of the kind active some day
            "aarsboern": x,    # Σ overlap days ÷ days in the period
            "new": n,          # children with a stay of the kind starting in the period
            "started": n}      # episodes of the kind starting in the period

Episodes that end on or before their start are never active and are left out everywhere.
Everything is computed on Polars frames (joins and group-bys); the only Python loops run over
groups and keys of the result.
"""

from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import CATEGORIES, FAMILY_CARE_TYPES, INSTITUTION_TYPES, Dataset
from trappen.core.kpi.frames import (
    ALL,
    UNKNOWN,
    active_in,
    check_group_by,
    child_groups,
    overlap_days,
    team_asof,
)
from trappen.core.kpi.period import Period
from trappen.core.kpi.timeline import (
    BRIDGE_DAYS,
    NONE,
    Moves,
    Timeline,
    bridged,
    moves,
    step_timeline,
)
from trappen.core.staircase import PlacementType

if TYPE_CHECKING:  # report imports this module
    from trappen.core.kpi.report import Prepared

JSON = dict[str, Any]
Ints = NDArray[np.int64]
GAP_DAYS = BRIDGE_DAYS  # stays: episodes at most this many days apart are one stay
NEXT_STEP_KEYS = ("5", "4", "3", "2", "1", "0", "none")
MOVE_TARGETS = ("0", "1", "3", "4", "5", "none")

_FOSTER = [
    t.value
    for t in FAMILY_CARE_TYPES
    if t in (PlacementType.FOSTER_ORDINARY, PlacementType.FOSTER_SPECIAL)
]
# Episode membership of each kind. The two "home_based_*" kinds split home_based.
_KINDS: dict[str, pl.Expr] = {
    "institution": pl.col("placement_type").is_in([t.value for t in INSTITUTION_TYPES]),
    "foster": pl.col("placement_type").is_in(_FOSTER),
    "network": pl.col("placement_type") == PlacementType.FOSTER_NETWORK.value,
    "home_based": pl.col("step") == 2,
    "preventive": pl.col("step") == 1,
    "home_based_with_type": (pl.col("step") == 2) & pl.col("placement_type").is_not_null(),
    "home_based_without_type": (pl.col("step") == 2) & pl.col("placement_type").is_null(),
}
_KIND_NAMES = tuple(_KINDS)
# How far before and after the period an episode can matter to a figure other than the length
# of an institution stay: the 31-day gaps bridged or joined, and a little room.
_MARGIN = timedelta(days=GAP_DAYS + 9)
_MAIN_KINDS = _KIND_NAMES[:5]  # with stays, "new" and "started"

Children = Collection[str] | pl.Series | None


def key_figures(ds: Dataset, period: Period, *, children: Children = None) -> JSON:
    """The catalogue for the children in `children` (None: every child of the data)."""
    if children is None:
        return key_figures_by_group(ds, period)[ALL]
    ids = children if isinstance(children, pl.Series) else pl.Series(list(children))
    groups = pl.DataFrame({"child_id": ids.cast(pl.String), "group": ALL}).unique()
    return key_figures_by_group(ds, period, groups, names=[ALL])[ALL]


def key_figures_by_group(
    ds: Dataset,
    period: Period,
    groups: pl.DataFrame | None = None,
    *,
    names: Collection[str] | None = None,
) -> dict[str, JSON]:
    """The catalogue per group: `groups` has `child_id` and `group` (a child may be in several
    groups, e.g. its own and a total); None: one group "all" of every child. Every name in
    `names` (default: the groups of `groups`) gets figures, zero when it has no rows.

    Everything per child is computed once, for all children; the groups only sum it up."""
    episodes = _live_episodes(ds, period)
    if groups is None:
        keys = _Keys(None, episodes)
        names = [ALL]
    else:
        keys = _Keys(groups, episodes)
        if names is None:
            names = groups.get_column("group").unique(maintain_order=True).to_list()
    kinds = _kinds(episodes.filter("active"), _KINDS)
    stays = _stays(_stay_episodes(episodes, period))
    parts = {
        "kinds": _kind_figures(kinds, stays, period, keys),
        "duration": _duration(stays, period, keys),
        "formerly": _formerly(episodes, stays, period, keys),
        "movements": _movements(episodes, period, keys),
        "development": _development(episodes, period, keys),
        "spending": _spending(episodes, keys),
        "followups": _followups(ds, episodes, period, keys),
    }
    return {name: _assemble(name, parts, period) for name in names}


def key_figures_for_grouping(
    ds: Dataset, period: Period, group_by: str, *, names: Collection[str], total: str
) -> dict[str, JSON]:
    """The catalogue for evaluate(): for each of `names` (the groups of `group_by`) and, under
    the key `total`, for every child, from one pass over the data.

    A child's group is its own key under "group", "district" and "all" (frames.child_groups;
    a child missing from children.csv: "unknown", or "all"). Under "team", whose key belongs to
    cases rather than children, a child counts in the team of its case open on the period's last
    day, else of its latest case opened before it, else "unknown" (docs/keyfigures.md)."""
    check_group_by(group_by)
    seen = (
        pl.concat(
            [
                ds.children.get_column("child_id"),
                ds.episodes.get_column("child_id"),
                ds.followups.get_column("child_id"),
            ]
        )
        .unique()
        .to_frame("child_id")
    )
    if group_by == "team":
        on = seen.with_columns(on=pl.lit(period.end))
        keys = seen.with_columns(team_asof(ds.cases, on, "on", by="child_id"))
    else:
        own = child_groups(ds, group_by)
        fallback = ALL if group_by == ALL else UNKNOWN
        keys = seen.join(own, on="child_id", how="left").with_columns(
            pl.col("group").fill_null(fallback)
        )
    both = pl.concat([keys, keys.with_columns(group=pl.lit(total))])
    return key_figures_by_group(ds, period, both, names=[*names, total])


# ---------------------------------------------------------------- frames


class _Keys:
    """Adds each row's group(s) to a frame: by the integer child code (`child`) or by
    `child_id`. A row of a child in no group is dropped; in several, repeated."""

    def __init__(self, groups: pl.DataFrame | None, episodes: pl.DataFrame) -> None:
        if groups is None:
            self.by_id: pl.DataFrame | None = None
            self.by_code: pl.DataFrame | None = None
            return
        self.by_id = groups.select(
            pl.col("child_id").cast(pl.String), pl.col("group").cast(pl.String)
        )
        codes = episodes.select("child", "child_id").unique("child")
        self.by_code = self.by_id.join(codes, on="child_id").select("child", "group")

    def child(self, frame: pl.DataFrame) -> pl.DataFrame:
        if self.by_code is None:
            return frame.with_columns(group=pl.lit(ALL))
        return frame.join(self.by_code, on="child")

    def child_id(self, frame: pl.DataFrame) -> pl.DataFrame:
        if self.by_id is None:
            return frame.with_columns(group=pl.lit(ALL))
        return frame.join(self.by_id, on="child_id")


def _kinds(episodes: pl.DataFrame, kinds: Mapping[str, pl.Expr]) -> pl.DataFrame:
    """The episodes of each kind, with the kind's index in _KIND_NAMES as `kind`."""
    return pl.concat(
        [
            episodes.filter(f).with_columns(kind=pl.lit(_KIND_NAMES.index(k), pl.UInt8))
            for k, f in kinds.items()
        ]
    )


def _stay_episodes(episodes: pl.DataFrame, period: Period) -> pl.DataFrame:
    """The episodes of the main kinds that decide the stays the figures use: those starting in
    the period ("new") and the institution stays ending in it.

    A stay starting in the period can only be continued from an episode active on a day at
    most GAP_DAYS days before the period, so episodes active from _MARGIN before the period on
    suffice; for the stays ending in the period (their length), every institution episode of
    the children with one ending in the period is kept."""
    near = active_in(Period(period.start - _MARGIN, period.end))
    institution = _KINDS["institution"]
    ending = episodes.filter(institution & _in("end_date", period)).get_column("child").unique()
    others = {k: _KINDS[k] for k in _MAIN_KINDS if k != "institution"}
    return pl.concat(
        [
            _kinds(episodes.filter(near), others),
            _kinds(
                episodes.filter(institution & (near | pl.col("child").is_in(ending.implode()))),
                {"institution": institution},
            ),
        ]
    )


def _in_window(episodes: pl.DataFrame, window: Period) -> pl.DataFrame:
    return episodes.filter(active_in(window))


def _live_episodes(ds: Dataset, period: Period) -> pl.DataFrame:
    """The episodes that matter for the period, with an integer `child` code (sorts and joins
    run on integers), `overlap` (days in the period), `active` (active some day of the
    period) and `started` (starting in the period).

    An episode matters when it is active on some day (its end after its start) and either is
    an institution episode (a stay ending in the period may have begun long before) or is
    active some day within _MARGIN of the period (every other figure looks no further)."""
    wide = Period(period.start - _MARGIN, period.end + _MARGIN)
    return ds.episodes.filter(
        (pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("start_date")))
        & (active_in(wide) | _KINDS["institution"])
    ).with_columns(
        child=pl.col("child_id").cast(pl.Categorical).to_physical().cast(pl.Int64),
        overlap=overlap_days(period),
        active=active_in(period),
        started=_in("start_date", period),
    )


_OPEN = 1 << 20  # day number standing for "no end" (the year 4840) in the stay join
_SPAN = 1 << 22  # room per (kind, child) block in the running maximum: more than any day


def _stays(kinds: pl.DataFrame) -> pl.DataFrame:
    """`kind`, `child`, `start_date`, `end_date` (null: running): a child's episodes of one
    kind joined into stays. Sorted by kind, child and start, an episode that starts at most
    GAP_DAYS days after the latest end so far (or before it) continues the stay.

    The latest end so far within each (kind, child) block is one running maximum over the
    whole frame: block b's ends are lifted by b × _SPAN, above every earlier block's."""
    first = (
        (pl.col("kind") != pl.col("kind").shift(1)) | (pl.col("child") != pl.col("child").shift(1))
    ).fill_null(True)
    lift = pl.col("_block") * _SPAN
    rows = (
        kinds.select(
            "kind",
            "child",
            pl.col("start_date").cast(pl.Int32).cast(pl.Int64).alias("_start"),
            pl.col("end_date").cast(pl.Int32).cast(pl.Int64).fill_null(_OPEN).alias("_end"),
        )
        .sort("kind", "child", "_start")
        .with_columns(_first=first)
        .with_columns(_block=pl.col("_first").cum_sum().cast(pl.Int64))
        .with_columns(_run=(pl.col("_end") + lift).cum_max() - lift)
        .with_columns(
            _new=pl.col("_first") | (pl.col("_start") - pl.col("_run").shift(1) > GAP_DAYS)
        )
        .with_columns(_last=pl.col("_new").shift(-1).fill_null(True))
    )
    ends = rows.filter(pl.col("_last")).get_column("_run")
    return rows.filter(pl.col("_new")).select(
        "kind",
        "child",
        pl.col("_start").cast(pl.Int32).cast(pl.Date).alias("start_date"),
        pl.when(ends == _OPEN)
        .then(None)
        .otherwise(ends)
        .cast(pl.Int32)
        .cast(pl.Date)
        .alias("end_date"),
    )


def _in(column: str, period: Period) -> pl.Expr:
    return pl.col(column).is_between(pl.lit(period.start), pl.lit(period.end))


def _rows(frame: pl.DataFrame, *keys: str) -> dict[Any, dict[str, Any]]:
    """A small aggregated frame as {key (tuple when several): row dict}."""
    out: dict[Any, dict[str, Any]] = {}
    for row in frame.iter_rows(named=True):
        key = tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]
        out[key] = row
    return out


# ---------------------------------------------------------------- the figures


def _kind_figures(kinds: pl.DataFrame, stays: pl.DataFrame, period: Period, keys: _Keys) -> JSON:
    per_child = kinds.group_by("kind", "child").agg(
        active=pl.col("active").any(),
        overlap=pl.col("overlap").sum(),
        started=pl.col("started").sum(),
    )
    new = (
        stays.filter(_in("start_date", period))
        .select("kind", "child", new=pl.lit(True))
        .unique(["kind", "child"])
    )
    figures = (
        keys.child(per_child.join(new, on=["kind", "child"], how="left"))
        .group_by("group", "kind")
        .agg(
            children=pl.col("active").sum(),
            overlap=pl.col("overlap").sum(),
            started=pl.col("started").sum(),
            new=pl.col("new").fill_null(False).sum(),
        )
        .with_columns(
            kind=pl.col("kind").replace_strict(dict(enumerate(_KIND_NAMES)), return_dtype=pl.String)
        )
    )
    return _rows(figures, "group", "kind")


def _ended_institution_stays(stays: pl.DataFrame, period: Period) -> pl.DataFrame:
    return stays.filter(
        (pl.col("kind") == _KIND_NAMES.index("institution")) & _in("end_date", period)
    )


def _duration(stays: pl.DataFrame, period: Period, keys: _Keys) -> JSON:
    ended = _ended_institution_stays(stays, period).with_columns(
        days=(pl.col("end_date") - pl.col("start_date")).dt.total_days()
    )
    figures = (
        keys.child(ended)
        .group_by("group")
        .agg(ended=pl.len(), mean_days=pl.col("days").mean(), median_days=pl.col("days").median())
    )
    return _rows(figures, "group")


def _formerly(episodes: pl.DataFrame, stays: pl.DataFrame, period: Period, keys: _Keys) -> JSON:
    """Per child whose institution stay ended in the period (the last such stay): the highest
    step active some day within GAP_DAYS days after the end (the end day included)."""
    ended = (
        _ended_institution_stays(stays, period)
        .group_by("child")
        .agg(pl.col("end_date").max().alias("left"))
    )
    after = (
        ended.join(episodes.select("child", "step", "start_date", "end_date"), on="child")
        .filter(
            (pl.col("start_date") <= pl.col("left") + pl.duration(days=GAP_DAYS))
            & (pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("left")))
        )
        .group_by("child")
        .agg(pl.col("step").max().alias("next"))
    )
    nxt = ended.join(after, on="child", how="left").select(
        "child", pl.col("next").cast(pl.String).fill_null("none")
    )
    return _rows(keys.child(nxt).group_by("group", "next").len(), "group", "next")


def _movements(episodes: pl.DataFrame, period: Period, keys: _Keys) -> JSON:
    """Moves from step 2 on the staircase timeline (core.kpi.timeline): up to 3-5, down to
    0-1 (timeline.moves), and "ended": the bridged step goes from 2 to none.

    Only the episodes that can decide a move in the period enter the timeline (`_near`)."""
    timeline = step_timeline(_near(episodes, period))
    first, last = _day(period.start), _day(period.end)
    m = moves(timeline, first, last)
    from_two = pl.DataFrame({"child": m.child, "target": m.target}).filter(pl.Series(m.source) == 2)
    rows = pl.DataFrame({"child": timeline.child, "day": timeline.day, "step": bridged(timeline)})
    ended = rows.filter(
        (pl.col("step").shift(1) == 2)
        & (pl.col("child").shift(1) == pl.col("child"))
        & (pl.col("step") == NONE)
        & pl.col("day").is_between(first, last)
    ).select("child", target="step")
    found = pl.concat([from_two, ended]).select(
        "child",
        target=pl.when(pl.col("target") == NONE)
        .then(pl.lit("none"))
        .otherwise(pl.col("target").cast(pl.String)),
        direction=pl.when(pl.col("target") == NONE)
        .then(pl.lit("ended"))
        .when(pl.col("target") > 2)
        .then(pl.lit("up"))
        .otherwise(pl.lit("down")),
    )
    keyed = keys.child(found)
    return {
        "moves": _rows(keyed.group_by("group", "target").len(), "group", "target"),
        "children": _rows(
            keyed.group_by("group", "direction").agg(n=pl.col("child").n_unique()),
            "group",
            "direction",
        ),
    }


def _near(episodes: pl.DataFrame, period: Period) -> pl.DataFrame:
    """The episodes, of the children with a step-2 episode active within _MARGIN of the
    period, that are active some day within _MARGIN of it.

    Enough for the moves from step 2 in the period: a move on day d needs the child on step 2
    on day d - 1, or on the last day before a gap of at most GAP_DAYS days ending on d; every
    episode active on those days, or starting up to GAP_DAYS days after a day of the period
    (which decides whether a gap is bridged), is kept. Steps before those days do not matter.
    """
    close = _in_window(episodes, Period(period.start - _MARGIN, period.end + _MARGIN))
    twos = close.filter(pl.col("step") == 2).select("child").unique()
    return close.join(twos, on="child", how="semi")


def _day(day: date) -> int:
    return (day - _EPOCH).days


_EPOCH = date(1970, 1, 1)


def _development(episodes: pl.DataFrame, period: Period, keys: _Keys) -> JSON:
    label: pl.Expr = pl.lit(None, pl.String)
    for name, part in reversed(period.half_years()):
        label = pl.when(_in("start_date", part)).then(pl.lit(name)).otherwise(label)
    started = episodes.filter((pl.col("step") == 1) & pl.col("started")).select("child", half=label)
    return _rows(keys.child(started).group_by("group", "half").len(), "group", "half")


def _spending(episodes: pl.DataFrame, keys: _Keys) -> JSON:
    cost = pl.col("overlap").cast(pl.Float64) * pl.col("daily_cost")
    typed = pl.col("placement_type").is_not_null()
    per_child = (
        episodes.filter("active")
        .group_by("child")
        .agg(
            preventive=cost.filter(pl.col("step").is_in([1, 2]) & ~typed).sum(),
            placements=cost.filter(typed).sum(),
        )
    )
    figures = keys.child(per_child).group_by("group").agg(pl.col("preventive", "placements").sum())
    return _rows(figures, "group")


def _followups(ds: Dataset, episodes: pl.DataFrame, period: Period, keys: _Keys) -> JSON:
    per_child = (
        ds.followups.filter(_in("date", period))
        .group_by("child_id")
        .agg(count=pl.len(), talks=pl.col("child_conversation").fill_null(False).sum())
    )
    held = keys.child_id(per_child).group_by("group").agg(pl.col("count", "talks").sum())
    placed = episodes.filter(pl.col("placement_type").is_not_null() & pl.col("active"))
    placed_children = (
        keys.child(placed.select("child").unique()).group_by("group").agg(placed=pl.len())
    )
    return {"held": _rows(held, "group"), "placed": _rows(placed_children, "group")}


# ---------------------------------------------------------------- assembling one group


def _num(value: float | None) -> float | None:
    """A figure for JSON, rounded to 6 decimals as evaluate() rounds (sums of floats in
    parallel group-bys may differ in the last bits from run to run)."""
    return None if value is None else round(float(value), 6)


def _ratio(a: float, b: float) -> float | None:
    return _num(a / b) if b else None


def _assemble(name: str, parts: Mapping[str, Any], period: Period) -> JSON:
    def kind(k: str, *, full: bool = True) -> JSON:
        row = parts["kinds"].get((name, k), {})
        out: JSON = {
            "children": int(row.get("children", 0)),
            "aarsboern": _num(row.get("overlap", 0) / period.days),
        }
        if full:
            out["new"] = int(row.get("new", 0))
            out["started"] = int(row.get("started", 0))
        return out

    figures: JSON = {k: kind(k) for k in _MAIN_KINDS}
    figures["home_based"]["with_placement_type"] = kind("home_based_with_type", full=False)
    figures["home_based"]["without_placement_type"] = kind("home_based_without_type", full=False)

    duration = parts["duration"].get(name, {})
    figures["institution_duration"] = {
        "ended": int(duration.get("ended", 0)),
        "mean_days": _num(duration.get("mean_days")),
        "median_days": _num(duration.get("median_days")),
    }
    next_step = {k: int(parts["formerly"].get((name, k), {}).get("len", 0)) for k in NEXT_STEP_KEYS}
    figures["formerly_institution"] = {
        "children": sum(next_step.values()),
        "next_step": next_step,
    }
    mv = parts["movements"]
    figures["home_based_movements"] = {
        **{d: int(mv["children"].get((name, d), {}).get("n", 0)) for d in ("up", "down", "ended")},
        "moves": {t: int(mv["moves"].get((name, t), {}).get("len", 0)) for t in MOVE_TARGETS},
    }
    figures["preventive_development"] = {
        half: int(parts["development"].get((name, half), {}).get("len", 0))
        for half, _ in period.half_years()
    }
    spending = parts["spending"].get(name, {})
    figures["spending"] = {
        "preventive": _num(spending.get("preventive") or 0.0),
        "placements": _num(spending.get("placements") or 0.0),
    }
    held = parts["followups"]["held"].get(name, {})
    count, talks = int(held.get("count", 0)), int(held.get("talks", 0))
    placed = int(parts["followups"]["placed"].get(name, {}).get("placed", 0))
    figures["followups"] = {
        "count": count,
        "with_child_conversation": talks,
        "per_placed_child": _ratio(count, placed),
        "share_with_child_conversation": _ratio(talks, count),
    }
    return figures


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
) -> dict[str, JSON]:
    """What `key_figures_for_grouping` gives, from what evaluate() has already computed: the
    integer-coded frames of `report.prepare()` (`data`), its step `timeline` and the `found`
    moves on it. `child_group` is each child code's group code (an index into `data.groups`),
    `fallback` the group code of a follow-up whose child has no code. Every child is in
    exactly one group, so the figures under `total` are the groups' sums (the mean and median
    stay lengths are computed over all stays).

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
    main = [np.flatnonzero(member[k]) for k in range(len(_MAIN_KINDS))]
    rows = np.concatenate(main)
    stay_kind, stay_child, stay_start, stay_end = _coded_stays(
        np.repeat(np.arange(len(main)), [len(r) for r in main]), child[rows], start[rows], end[rows]
    )

    n_kinds = len(_KIND_NAMES)
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
            for k, kind in enumerate(_KIND_NAMES):
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
    return {name: _assemble(name, parts, period) for name in names}


def _column(frame: pl.DataFrame, column: str) -> Ints:
    """A column without nulls as int64 (Date: day numbers)."""
    series = frame.get_column(column)
    if series.dtype == pl.Date:
        series = series.cast(pl.Int32)
    return series.cast(pl.Int64).to_numpy()


def _coded_kinds(step: Ints, typ: Ints) -> list[NDArray[np.bool_]]:
    """Per kind of _KIND_NAMES: which coded episodes are of it (as _KINDS on the strings)."""

    def of(types: Collection[str]) -> NDArray[np.bool_]:
        table = np.zeros(len(_TYPES) + 1, dtype=np.bool_)  # by type + 1 (0: no type)
        table[[_TYPES.index(t) + 1 for t in types]] = True
        return table[typ + 1]

    by_kind = {
        "institution": of([t.value for t in INSTITUTION_TYPES]),
        "foster": of(_FOSTER),
        "network": of([PlacementType.FOSTER_NETWORK.value]),
        "home_based": step == 2,
        "preventive": step == 1,
        "home_based_with_type": (step == 2) & (typ >= 0),
        "home_based_without_type": (step == 2) & (typ < 0),
    }
    return [by_kind[k] for k in _KIND_NAMES]


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
