"""`evaluate()`: every key figure of the KORA evaluation for one period, by group and in total.

The exact definitions, with worked examples, are in docs/kpi.md; each function below says
which figure it computes. All of it is columnar: Polars expressions and joins, and NumPy for
the staircase timeline (`timeline.py`); Python loops run over groups, kinds, half-years and
dates, never over rows.

Children are given integer codes once (`prepare`), so that the sorts and as-of joins of the
timeline run on integers rather than on id strings.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from trappen.core.dataset import CATEGORIES, Dataset, EndReason
from trappen.core.kpi.frames import (
    ALL,
    UNKNOWN,
    active_in,
    active_on,
    check_group_by,
    child_groups,
    complaints_keyed,
    day_number,
    overlap_days,
    team_asof,
)
from trappen.core.kpi.period import Period
from trappen.core.kpi.prices import deflators
from trappen.core.kpi.timeline import NONE, STEPS, Timeline, moves, step_timeline
from trappen.core.staircase import PlacementType

TOTAL = "\x00total"  # the internal group key of the total; no real group is called that
TYPES: tuple[str, ...] = tuple(t.value for c in CATEGORIES.values() for t in c)
CATEGORY_OF: dict[str, str] = {t.value: c for c, types in CATEGORIES.items() for t in types}
KINDS: tuple[str, ...] = ("total", *CATEGORIES)
PREVENTIVE = "preventive"
FOLLOWUP_CATEGORIES: tuple[str, ...] = (*CATEGORIES, PREVENTIVE)
UNDER_CLARIFICATION = "under_clarification"
MOVE_KEYS: tuple[str, ...] = tuple(f"{s}->{t}" for s in STEPS for t in STEPS if s != t)

assert set(TYPES) == {t.value for t in PlacementType}  # noqa: S101 - every type has a category


def _num(value: float | None) -> float | None:
    """A figure for JSON: rounded to 6 decimals; None stays None."""
    return None if value is None else round(float(value), 6)


def _ratio(numerator: float, denominator: float) -> float | None:
    return _num(numerator / denominator) if denominator else None


@dataclass(frozen=True)
class Prepared:
    """The tables as the figures need them: a `group` key and an integer `child` code.

    episodes: child, group, episode_id, step, placement_type, category (null: not placed),
    start_date, end_date, end_reason, daily_cost. cases: child, group, team, opened, closed,
    caseworker. complaints: group, date. children: child, group (the child's own key; for
    "team" "unknown", as a child has no team of its own).
    """

    episodes: pl.DataFrame
    cases: pl.DataFrame
    complaints: pl.DataFrame
    children: pl.DataFrame


def _with_codes(
    frame: pl.DataFrame, people: pl.DataFrame, extra: pl.DataFrame | None
) -> pl.DataFrame:
    coded = frame.join(people, on="child_id", how="left", maintain_order="left")
    if extra is None:
        return coded
    return (
        coded.join(extra, on="child_id", how="left", suffix="_extra", maintain_order="left")
        .with_columns(
            pl.coalesce("child", "child_extra").alias("child"),
            pl.coalesce("group", "group_extra").alias("group"),
        )
        .drop("child_extra", "group_extra")
    )


def prepare(ds: Dataset, group_by: str) -> Prepared:
    """Give every child an integer code and every row its group key, by the rules of
    `frames` (`add_group`): the same keys, computed once for all figures."""
    check_group_by(group_by)
    if group_by == "team":
        people = ds.children.select("child_id").with_columns(pl.lit(UNKNOWN).alias("group"))
    else:
        people = child_groups(ds, group_by)
    people = people.unique("child_id", keep="first", maintain_order=True).with_row_index("child")
    episodes = _with_codes(ds.episodes, people, None)
    cases = _with_codes(ds.cases, people, None)
    # Children that the children table lacks: codes after its own, group "unknown".
    missing = pl.concat(
        [
            episodes.filter(pl.col("child").is_null()).get_column("child_id"),
            cases.filter(pl.col("child").is_null()).get_column("child_id"),
        ]
    ).unique(maintain_order=True)
    if len(missing):
        extra = pl.DataFrame({"child_id": missing}).with_columns(
            (pl.int_range(pl.len(), dtype=pl.UInt32) + people.height).alias("child"),
            pl.lit(ALL if group_by == ALL else UNKNOWN).alias("group"),
        )
        episodes = _with_codes(ds.episodes, people, extra)
        cases = _with_codes(ds.cases, people, extra)
        people = pl.concat([people, extra.select(people.columns)])
    if group_by == "team":
        cases = cases.with_columns(pl.col("team").fill_null(UNKNOWN).alias("group"))
        episodes = episodes.with_columns(
            team_asof(cases, episodes, "start_date", by="child").alias("group")
        )
    types = set(episodes.get_column("placement_type").drop_nulls().unique().to_list())
    if unknown := sorted(types - set(TYPES)):
        raise ValueError(f"unknown placement type(s): {', '.join(unknown)}")
    if episodes.select(~pl.col("step").is_between(min(STEPS), max(STEPS)).all()).item():
        raise ValueError("an episode's step must be 0–5")
    episodes = episodes.with_columns(
        pl.col("placement_type")
        .replace_strict(CATEGORY_OF, default=None, return_dtype=pl.String)
        .alias("category")
    )
    return Prepared(
        episodes=episodes.drop("child_id"),
        cases=cases.drop("child_id"),
        complaints=complaints_keyed(ds, group_by).select("group", "date"),
        children=people.select("child", "group"),
    )


def _grouped(frame: pl.DataFrame, by: Sequence[str], *aggs: pl.Expr) -> pl.DataFrame:
    """`aggs` by "group" and `by`, and again over all rows under the group TOTAL (distinct
    counts are not sums over the groups). Without `aggs`: the number of rows, `len`."""
    if not aggs:
        aggs = (pl.len(),)
    total = frame.with_columns(pl.lit(TOTAL).alias("group"))
    return pl.concat([f.group_by("group", *by).agg(*aggs) for f in (frame, total)])


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


def placement_sums(
    episodes: pl.DataFrame, period: Period, factors: Mapping[int, float] | None
) -> dict[str, dict[str, tuple[int, float, int]]]:
    """group (and TOTAL) → kind (total, category, placement type) → (overlap days, spending,
    distinct children) of the placement episodes active in the period."""
    placed = (
        episodes.filter(pl.col("category").is_not_null())
        .select(
            "group",
            "child",
            "category",
            "placement_type",
            overlap_days(period).alias("days"),
            _spending(period, factors).alias("spending"),
        )
        .filter(pl.col("days") > 0)
    )
    sums = [pl.col("days").sum(), pl.col("spending").sum(), pl.col("child").n_unique()]
    out: dict[str, dict[str, tuple[int, float, int]]] = {}
    for key in (None, "category", "placement_type"):
        table = _grouped(placed, [] if key is None else [key], *sums)
        for row in table.iter_rows():
            group, kind = row[0], ("total" if key is None else row[1])
            days, spending, children = row[-3:]
            out.setdefault(group, {})[kind] = (int(days), float(spending), int(children))
    return out


def placement_figures(
    sums: Mapping[str, tuple[int, float, int]], days_in_period: int
) -> dict[str, dict[str, Any]]:
    """placed_aarsboern, placed_children, share_of_placed, spending, unit_cost of one group."""

    def of(kind: str) -> tuple[int, float, int]:
        return sums.get(kind, (0, 0.0, 0))

    def figure(value: Callable[[str], Any]) -> dict[str, Any]:
        return {**{k: value(k) for k in KINDS}, "by_type": {t: value(t) for t in TYPES}}

    total_days = of("total")[0]
    return {
        "placed_aarsboern": figure(lambda k: _num(of(k)[0] / days_in_period)),
        "placed_children": figure(lambda k: of(k)[2]),
        "share_of_placed": figure(lambda k: _ratio(of(k)[0], total_days)),
        "spending": figure(lambda k: _num(of(k)[1])),
        "unit_cost": figure(
            lambda k: _ratio(of(k)[1] * days_in_period, of(k)[0]) if of(k)[0] else None
        ),
    }


def _counts(frame: pl.DataFrame) -> dict[str, int]:
    """group (and TOTAL) → number of rows."""
    table = _grouped(frame.select("group"), [])
    return {group: int(n) for group, n in table.iter_rows()}


def breakdowns(episodes: pl.DataFrame, period: Period) -> dict[str, int]:
    """Placement episodes that ended in a breakdown on a day of the period."""
    return _counts(
        episodes.filter(
            pl.col("category").is_not_null()
            & (pl.col("end_reason") == EndReason.BREAKDOWN.value)
            & pl.col("end_date").is_between(pl.lit(period.start), pl.lit(period.end))
        )
    )


def complaint_counts(data: Prepared, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Complaints dated in the period; cases open some day of the period."""
    complaints = data.complaints.filter(
        pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end))
    )
    cases = data.cases.filter(active_in(period, "opened", "closed"))
    return _counts(complaints), _counts(cases)


def _half_year_number(day: pl.Expr, first: Period) -> pl.Expr:
    """The index of the half-year of `day` among the period's half-years (0: the first)."""
    base = first.start.year * 2 + (first.start.month > 6)
    return (day.dt.year().cast(pl.Int32) * 2 + (day.dt.month() > 6).cast(pl.Int32)) - base


def followups_per_case(
    ds: Dataset, data: Prepared, period: Period
) -> dict[str, dict[str, dict[str, float | None]]]:
    """group (and TOTAL) → half-year label → category → follow-ups per child."""
    halves = period.half_years()
    first = halves[0][1]
    episodes = data.episodes.with_columns(
        pl.when(pl.col("category").is_not_null())
        .then(pl.col("category"))
        .when(pl.col("step") >= 1)
        .then(pl.lit(PREVENTIVE))
        .alias("fcat")
    ).filter(pl.col("fcat").is_not_null())
    # Children per half-year: each episode spans the half-years from its first to its last
    # day in the period; one row per (episode, half-year), never a row per day.
    stop = pl.min_horizontal(day_number("end_date"), pl.lit(period.stop).cast(pl.Int32))
    spans = (
        episodes.filter(overlap_days(period) > 0)
        .select(
            "group",
            "child",
            "fcat",
            _half_year_number(
                pl.max_horizontal(pl.col("start_date"), pl.lit(period.start)), first
            ).alias("h0"),
            _half_year_number((stop - 1).cast(pl.Date), first).alias("h1"),
        )
        .select("group", "child", "fcat", pl.int_ranges("h0", pl.col("h1") + 1).alias("h"))
        .explode("h")
    )
    children = _grouped(spans, ["fcat", "h"], pl.col("child").n_unique())
    followed = (
        ds.followups.select("episode_id", "date")
        .filter(pl.col("date").is_between(pl.lit(period.start), pl.lit(period.end)))
        .join(
            episodes.select("episode_id", "group", "fcat"),
            on="episode_id",
            how="inner",
        )
        .select("group", "fcat", _half_year_number(pl.col("date"), first).alias("h"))
    )
    counts = _grouped(followed, ["fcat", "h"])
    per = {(g, c, int(h)): int(n) for g, c, h, n in children.iter_rows()}
    held = {(g, c, int(h)): int(n) for g, c, h, n in counts.iter_rows()}
    groups = {g for g, _, _ in per} | {g for g, _, _ in held}
    return {
        group: {
            label: {
                c: _ratio(held.get((group, c, h), 0), per.get((group, c, h), 0))
                for c in FOLLOWUP_CATEGORIES
            }
            for h, (label, _) in enumerate(halves)
        }
        for group in groups
    }


def default_step_dates(period: Period) -> list[date]:
    """The last day of every quarter inside the period, and the period's last day."""
    return sorted({*period.quarter_ends(), period.end})


def step_counts(
    data: Prepared, timeline: Timeline, dates: Sequence[date]
) -> dict[str, dict[str, dict[str, int]]]:
    """group (and TOTAL) → date → step ("0"–"5", under_clarification, total) → children with
    a case open that day, by the highest step active that day."""
    if not dates:
        return {}
    days = np.array([d.toordinal() - date(1970, 1, 1).toordinal() for d in dates])
    never = np.iinfo(np.int32).max
    cases = data.cases.select(
        "child", "group", day_number("opened").alias("o"), day_number("closed").alias("c")
    ).drop_nulls("o")
    opened = cases.get_column("o").to_numpy()
    closed = cases.get_column("c").fill_null(never).to_numpy()
    # The step dates a case is open on are a run of the sorted dates: [first, stop).
    on_dates = (
        cases.select(
            "child",
            "group",
            pl.int_ranges(
                pl.Series(np.searchsorted(days, opened, side="left")),
                pl.Series(np.searchsorted(days, closed, side="left")),
            ).alias("k"),
        )
        .explode("k")
        .drop_nulls("k")
        .unique(["child", "k"], keep="first")
        .join(pl.DataFrame({"k": range(len(dates)), "day": dates}), on="k")
        .sort("day")
    )
    stood = on_dates.join_asof(
        timeline.frame().sort("day"),
        on="day",
        by="child",
        strategy="backward",
        check_sortedness=False,
    ).with_columns(pl.col("step").fill_null(NONE))
    table = _grouped(stood, ["k", "step"])
    out: dict[str, dict[str, dict[str, int]]] = {}
    for group, k, step, n in table.iter_rows():
        if group not in out:
            out[group] = {d.isoformat(): _empty_steps() for d in dates}
        counts = out[group][dates[k].isoformat()]
        counts[UNDER_CLARIFICATION if step == NONE else str(step)] += int(n)
        counts["total"] += int(n)
    return out


def _empty_steps() -> dict[str, int]:
    return {**{str(s): 0 for s in STEPS}, UNDER_CLARIFICATION: 0, "total": 0}


def movement_counts(
    data: Prepared, timeline: Timeline, period: Period, group_by: str
) -> dict[str, dict[str, Any]]:
    """group (and TOTAL) → the moves on the staircase on days of the period."""
    first = day_number(pl.lit(period.start))
    last = day_number(pl.lit(period.end))
    span = pl.select(first.alias("a"), last.alias("b")).row(0)
    found = moves(timeline, int(span[0]), int(span[1]))
    frame = pl.DataFrame(
        {
            "child": found.child.astype(np.uint32),
            "day": pl.Series(found.day.astype(np.int32)).cast(pl.Date),
            "move": pl.Series(found.source * 10 + found.target),
        }
    )
    if group_by == "team":
        frame = frame.with_columns(team_asof(data.cases, frame, "day", by="child"))
    else:
        frame = frame.join(data.children, on="child", how="left").with_columns(
            pl.col("group").fill_null(UNKNOWN)
        )
    table = _grouped(frame, ["move"])
    out: dict[str, dict[str, Any]] = {}
    for group, move, n in table.iter_rows():
        entry = out.setdefault(group, _empty_moves())
        source, target = divmod(int(move), 10)
        entry["moves"][f"{source}->{target}"] += int(n)
        entry["down" if target < source else "up"] += int(n)
    return out


def _empty_moves() -> dict[str, Any]:
    return {"moves": dict.fromkeys(MOVE_KEYS, 0), "down": 0, "up": 0}


def caseload(data: Prepared, period: Period) -> dict[str, dict[str, Any]]:
    """group (and TOTAL) → open cases per caseworker on the period's last day."""
    open_cases = data.cases.filter(active_on(period.end, "opened", "closed")).select(
        "group", pl.col("caseworker").fill_null(UNKNOWN)
    )
    table = _grouped(open_cases, ["caseworker"])
    per: dict[str, dict[str, int]] = {}
    for group, worker, n in table.sort("caseworker").iter_rows():
        per.setdefault(group, {})[worker] = int(n)
    return {group: _caseload(period, counts) for group, counts in per.items()}


def _caseload(period: Period, counts: Mapping[str, int]) -> dict[str, Any]:
    known = [n for worker, n in counts.items() if worker != UNKNOWN]
    return {
        "date": period.end.isoformat(),
        "by_caseworker": dict(counts),
        "mean": _num(sum(known) / len(known)) if known else None,
        "max": max(known) if known else None,
    }


def group_names(ds: Dataset, data: Prepared, group_by: str) -> list[str]:
    """Every group of the grouping: those the districts table names, and every key a row of
    the data falls into (e.g. "unknown")."""
    if group_by == ALL:
        return [ALL]
    named: set[str] = set()
    column = {"group": "group", "district": "district", "team": "team"}[group_by]
    named.update(ds.districts.get_column(column).drop_nulls().to_list())
    for frame in (data.episodes, data.cases, data.complaints):
        named.update(frame.get_column("group").unique().to_list())
    if group_by != "team":
        named.update(data.children.get_column("group").unique().to_list())
    return sorted(named)


def evaluate(
    ds: Dataset,
    period: Period,
    *,
    group_by: str = "group",
    step_dates: Sequence[date] | None = None,
    prices: Mapping[int, float] | None = None,
    base_year: int | None = None,
) -> dict[str, Any]:
    """Every key figure of `ds` for `period`, per group of `group_by` and in total, as a
    JSON-ready dict (docs/kpi.md)."""
    check_group_by(group_by)
    factors = deflators(period, prices, base_year)
    dates = default_step_dates(period) if step_dates is None else sorted(set(step_dates))
    data = prepare(ds, group_by)
    timeline = step_timeline(data.episodes)

    placed = placement_sums(data.episodes, period, factors)
    broken = breakdowns(data.episodes, period)
    complaints, open_cases = complaint_counts(data, period)
    followups = followups_per_case(ds, data, period)
    steps = step_counts(data, timeline, dates)
    movements = movement_counts(data, timeline, period, group_by)
    loads = caseload(data, period)
    halves = [label for label, _ in period.half_years()]

    def figures(group: str) -> dict[str, Any]:
        out = placement_figures(placed.get(group, {}), period.days)
        placed_days = placed.get(group, {}).get("total", (0, 0.0, 0))[0]
        count = broken.get(group, 0)
        out["breakdowns"] = {  # count / (placed_days / days in period): kept exact
            "count": count,
            "per_placed_aarsboern": _ratio(count * period.days, placed_days),
        }
        n, cases = complaints.get(group, 0), open_cases.get(group, 0)
        out["complaints"] = {"count": n, "cases": cases, "share": _ratio(n, cases)}
        out["followups_per_case"] = followups.get(
            group, {label: dict.fromkeys(FOLLOWUP_CATEGORIES) for label in halves}
        )
        out["step_counts"] = steps.get(group, {d.isoformat(): _empty_steps() for d in dates})
        out["movements"] = movements.get(group, _empty_moves())
        out["caseload"] = loads.get(group, _caseload(period, {}))
        return out

    return {
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": period.days,
        },
        "group_by": group_by,
        "prices": None if base_year is None else {"base_year": base_year},
        "groups": {group: figures(group) for group in group_names(ds, data, group_by)},
        "total": figures(TOTAL),
    }
