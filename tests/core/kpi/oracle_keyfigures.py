"""The tests' oracle for the key-figure catalogue: an independent implementation on Polars
frames (joins and group-bys) from the dataset's own rows, as the catalogue was first written.

`key_figures(ds, period, children=...)` gives the eleven figures for one set of children (None:
every child); `key_figures_by_group()` for many groups from one pass; `key_figures_for_grouping()`
what evaluate() reports per group of a grouping. Production computes the catalogue from
evaluate()'s integer codes (`trappen.core.kpi.keyfigures.key_figures_coded`); the tests check
that both agree. Results are the JSON of docs/keyfigures.md (`KeyFigures.as_dict()`).
"""

from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import FAMILY_CARE_TYPES, INSTITUTION_TYPES, Dataset
from trappen.core.kpi.frames import (
    ALL,
    UNKNOWN,
    active_in,
    check_group_by,
    child_groups,
    overlap_days,
    team_asof,
)
from trappen.core.kpi.keyfigures import assemble
from trappen.core.kpi.period import Period
from trappen.core.kpi.timeline import (
    BRIDGE_DAYS,
    NONE,
    bridged,
    moves,
    step_timeline,
)
from trappen.core.staircase import PlacementType

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
    return {name: assemble(name, parts, period).as_dict() for name in names}


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
