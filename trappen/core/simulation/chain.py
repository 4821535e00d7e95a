"""The staircase as a monthly Markov chain, estimated from a municipality's own `Dataset`.

A child is, on the first day of every month, in one of ten states (`STATES`): no case yet;
under clarification (a case open, no measure active); on step 0-5 of the staircase (the
highest step among its active episodes, as `core.staircase.current_step`); closed; or aged
out (its case closed at 18 or later). The states of every child on consecutive month starts
of the estimation window are counted as transitions, separately per *stratum*: age band
(`AGE_BANDS`, the child's age on the first of the two days) × district group (the child's
district → its group, as the key figures' `group_by="group"`).

What is kept is the counts, not only the rates: `Estimate.counts[s, a, d]` children-months in
stratum s that were in active state a (under clarification, steps 0-5) and one month later in
state d (the active states, closed, aged out); `entries[s, a]` children who came into the
system (no case, or a closed case, before) in stratum s and state a; `months` the months
observed. The Monte Carlo draws its parameters from them (`montecarlo.py`).

Rates are the posterior means under a weak prior: each row's counts plus `PRIOR_WEIGHT`
pseudo-observations spread like the same row pooled over all strata, so a stratum with few
children borrows the municipality's pattern instead of an arbitrary one.

Costs come from the same window and the key-figure code (`kpi.report.placement_table`'s
spending, fixed prices through `kpi.prices.deflators`): kr per day of every step and
placement type; and the share of each step's episode-days by placement type (`mix`), which
turns children on a step into placed children by type.

Everything is columnar: every relevant child's state on every month start is one vectorised
look-up (binary search over the step timeline and the cases); counts are `np.bincount`s.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import Dataset
from trappen.core.kpi.frames import overlap_days
from trappen.core.kpi.period import Period
from trappen.core.kpi.prices import deflators
from trappen.core.kpi.report import (
    TYPES,
    Prepared,
    _spending,
    caseload,
    placement_table,
    prepare,
)
from trappen.core.kpi.timeline import NONE, last_on_or_before, step_timeline, take

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]

STATES: tuple[str, ...] = (
    "no_case",
    "under_clarification",
    *(f"step_{k}" for k in range(6)),
    "closed",
    "aged_out",
)
NO_CASE, CLARIFICATION, CLOSED, AGED_OUT = 0, 1, 8, 9
N_STATES = len(STATES)
# The active states (a child with an open case or on a step): under clarification, steps 0-5.
# Array axes over "active state" use index a = state - 1; over "destination" d = state - 1
# (the active states, then closed and aged out).
N_ACTIVE = 7
N_DESTINATIONS = 9
ACTIVE_STATES = STATES[1:8]
DESTINATION_STATES = STATES[1:]


def step_state(step: int) -> int:
    """The state of standing on `step` (0-5)."""
    return 2 + step


def active(step: int) -> int:
    """The active-state index (a) of standing on `step`."""
    return 1 + step


# Age bands: [from, to) years; the last one is aftercare (efterværn, 18-22).
AGE_BANDS: tuple[tuple[int, int | None], ...] = ((0, 6), (6, 12), (12, 18), (18, None))
BAND_NAMES: tuple[str, ...] = tuple(
    f"{lo}-{hi - 1}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS
)
_BAND_EDGES = np.array([lo for lo, _ in AGE_BANDS], dtype=np.float64)
# A case closed at this age or later is "aged out", before it "closed".
AGED_OUT_AGE = 18
# Children whose birth date is unknown are counted in this band.
UNKNOWN_AGE_BAND = 1
PRIOR_WEIGHT = 1.0  # pseudo-observations per row of the chain (and of the entries)
MIX_PRIOR_DAYS = 30.0  # pseudo-days that pull a group's type mix towards the pooled one
DAYS_PER_YEAR = 365.0
NO_TYPE = len(TYPES)  # the type column of an episode that is not a placement
_EPOCH = date(1970, 1, 1).toordinal()


def _day(d: date) -> int:
    return d.toordinal() - _EPOCH


def month_starts(period: Period) -> list[date]:
    """The first day of every month of `period` and the first day after it. The period must
    be whole months (from a first to a last day of a month)."""
    if period.start.day != 1 or period.stop.day != 1:
        raise ValueError(
            f"the estimation window must be whole months (from the 1st to a month's last day), "
            f"not {period}"
        )
    out, d = [], period.start
    while d <= period.stop:
        out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Estimate:
    """The chain and the prices estimated from one window of a dataset.

    Strata: s = band × len(groups) + group (bands in `BAND_NAMES`, groups in `groups`).
    """

    window: Period
    groups: tuple[str, ...]
    counts: Ints  # (S, 7, 9): transitions, active state → destination
    entries: Ints  # (S, 7): children who came in, by the state they came into
    months: int  # months of transitions observed
    aging: Floats  # (S,): monthly chance of moving on to the next age band
    start: Floats  # (S, 7): children in each active state on the first day after the window
    mix: Floats  # (G, 7, 8): share of a state's episode-days by placement type (last: none)
    cost_per_day: Floats  # (7, 8): kr a day on a state by placement type (last: none)
    type_cost_per_day: Floats  # (7,): kr a day of each placement type (the key figures')
    open_cases: Floats  # (G,): cases open on the window's last day
    caseworkers: Ints  # (G,): caseworkers with an open case that day (0: none named)
    named_cases: Floats  # (G,): of those cases, the ones with a named caseworker
    base_year: int | None = None  # prices: the base year's kroner; None: current prices

    @property
    def strata(self) -> int:
        return len(BAND_NAMES) * len(self.groups)

    def stratum(self, band: int, group: str) -> int:
        return band * len(self.groups) + self.groups.index(group)

    def group_of_stratum(self) -> Ints:
        return np.tile(np.arange(len(self.groups), dtype=np.int64), len(BAND_NAMES))

    def alpha(self) -> Floats:
        """(S, 7, 9): the Dirichlet parameters of each row: counts + the weak prior."""
        return dirichlet_alpha(self.counts)

    def entry_alpha(self) -> Floats:
        """(S, 7): the Dirichlet parameters of where entering children come in."""
        return dirichlet_alpha(self.entries[:, None, :])[:, 0, :]

    def rates(self) -> Floats:
        """(S, 7, 9): the monthly transition probabilities (posterior means)."""
        a = self.alpha()
        out: Floats = a / a.sum(axis=-1, keepdims=True)
        return out

    def entry_shares(self) -> Floats:
        a = self.entry_alpha()
        out: Floats = a / a.sum(axis=-1, keepdims=True)
        return out

    def entry_rate(self) -> Floats:
        """(S,): children coming in a month (the mean of Gamma(entries, months): a stratum
        nobody came into in the window gets nobody, rather than an invented half a child)."""
        out: Floats = self.entries.sum(axis=1) / self.months
        return out

    def matrix(self, stratum: int, rates: Floats | None = None) -> Floats:
        """The full 10 × 10 monthly transition matrix of one stratum: the active rows from
        `rates` (default: `self.rates()`); no case, closed and aged out stay where they are
        (children come in through the entry rate, not from the row of "no case")."""
        p = self.rates() if rates is None else rates
        return full_matrix(p[stratum])

    def unit_cost(self) -> dict[str, float | None]:
        """Kr per årsbarn of each placement type in the window (the key figures' spending ÷
        årsbørn, for a year of 365 days); None for a type nobody was placed in."""
        return {
            name: float(self.type_cost_per_day[t]) * DAYS_PER_YEAR
            if self.type_cost_per_day[t] > 0
            else None
            for t, name in enumerate(TYPES)
        }

    def current_caseload(self, groups: tuple[int, ...]) -> float | None:
        """Open cases per named caseworker on the window's last day, in these groups.

        Only the cases that name a caseworker count: a case nobody is named on would
        otherwise be laid on the named caseworkers and inflate today's caseload."""
        workers = int(self.caseworkers[list(groups)].sum())
        return float(self.named_cases[list(groups)].sum()) / workers if workers else None

    def cases_per_child(self) -> Floats:
        """(G,): open cases per child in an active state on the window's last day (1 where
        no child was active): the chain counts children, caseloads count cases."""
        children = self.start.reshape(len(BAND_NAMES), len(self.groups), N_ACTIVE).sum(axis=(0, 2))
        out: Floats = np.divide(
            self.open_cases, children, out=np.ones(len(self.groups)), where=children > 0
        )
        return out


def full_matrix(rows: Floats) -> Floats:
    """(10, 10) from the (7, 9) active rows."""
    out = np.eye(N_STATES)
    out[1:8] = 0.0
    out[1:8, 1:] = rows
    return out


def dirichlet_alpha(counts: Ints) -> Floats:
    """counts (S, A, D) + PRIOR_WEIGHT × the pooled row's shares (pooled over the strata,
    itself with one pseudo-observation spread evenly)."""
    pooled = counts.sum(axis=0).astype(np.float64) + 1.0 / counts.shape[-1]
    pooled /= pooled.sum(axis=-1, keepdims=True)
    out: Floats = counts.astype(np.float64) + PRIOR_WEIGHT * pooled[None, :, :]
    return out


def _ints(frame: pl.DataFrame, column: str) -> Ints:
    series = frame.get_column(column)
    if series.dtype == pl.Date:
        series = series.cast(pl.Int32)
    return series.cast(pl.Int64).to_numpy()


def _bands(age_days: Floats, known: NDArray[np.bool_]) -> Ints:
    years = age_days / 365.25
    band = np.searchsorted(_BAND_EDGES, years, side="right") - 1
    return np.where(known, np.clip(band, 0, len(AGE_BANDS) - 1), UNKNOWN_AGE_BAND)


@dataclass(frozen=True)
class States:
    """Every relevant child's state on each of the days (children × days), with the child's
    age band and group code on each day."""

    state: Ints
    band: Ints
    group: Ints  # (children,): index into the kept groups


def states_on(data: Prepared, ds: Dataset, days: list[date]) -> tuple[States, tuple[int, ...]]:
    """The states of the children with a case or an episode on `days`; and the group codes
    (into `data.groups`) of the groups those children are in, in order."""
    codes = np.unique(
        np.concatenate([_ints(data.episodes, "child"), _ints(data.cases, "child")])
    ).astype(np.int64)
    day = np.array([_day(d) for d in days], dtype=np.int64)
    n, m = len(codes), len(day)
    child = np.repeat(codes, m)
    at = np.tile(day, n)

    step = step_timeline(data.episodes).steps_at(child, at)

    cases = data.cases.filter(pl.col("opened").is_not_null()).sort(
        "child", "opened", maintain_order=True
    )
    row = last_on_or_before(_ints(cases, "child"), _ints(cases, "opened"), child, at)
    never = np.iinfo(np.int32).max
    closed_days = cases.get_column("closed").cast(pl.Int32).fill_null(never)
    closed = take(closed_days.cast(pl.Int64).to_numpy(), row, never)
    is_open = (row >= 0) & (closed > at)

    people = pl.DataFrame({"child_id": data.ids}).join(
        ds.children.select("child_id", "birth_date").unique("child_id", keep="first"),
        on="child_id",
        how="left",
        maintain_order="left",
    )
    birth = people.get_column("birth_date").cast(pl.Int32)
    known_birth = birth.is_not_null().to_numpy()[child]
    born = birth.fill_null(0).cast(pl.Int64).to_numpy()[child]
    aged = known_birth & ((closed - born) / 365.25 >= AGED_OUT_AGE)
    gone = np.where(aged, AGED_OUT, CLOSED)
    state = np.where(
        step != NONE,
        2 + step,
        np.where(is_open, CLARIFICATION, np.where(row >= 0, gone, NO_CASE)),
    )
    band = _bands((at - born).astype(np.float64), known_birth)

    g = data.child_group[codes]
    kept = tuple(int(x) for x in np.unique(g))
    index = np.full(len(data.groups), -1, dtype=np.int64)
    index[list(kept)] = np.arange(len(kept))
    return States(state.reshape(n, m), band.reshape(n, m), index[g]), kept


def latest_window(ds: Dataset, months: int = 24) -> Period:
    """The default estimation window: the `months` whole months before the month of the
    latest case opened or episode started in the dataset."""
    latest = [
        ds.cases.get_column("opened").max(),
        ds.episodes.get_column("start_date").max(),
    ]
    days = [d for d in latest if isinstance(d, date)]
    if not days:
        raise ValueError("the dataset has no cases and no episodes to estimate from")
    stop = date(max(days).year, max(days).month, 1)
    start = add_months(stop, -months)
    return Period(start, date.fromordinal(stop.toordinal() - 1))


def estimate(
    ds: Dataset,
    window: Period,
    *,
    prices: Mapping[int, float] | None = None,
    base_year: int | None = None,
) -> Estimate:
    """The chain, entries, starting states and costs of `ds` over `window` (whole months).

    The simulation starts from the states on the first day after the window.
    """
    factors = deflators(window, prices, base_year)
    days = month_starts(window)
    data = prepare(ds, "group")
    seen, kept = states_on(data, ds, days)
    if not kept:
        raise ValueError("the dataset has no cases and no episodes to estimate from")
    groups = tuple(data.groups[g] for g in kept)
    n_groups = len(groups)
    strata = len(AGE_BANDS) * n_groups

    state, band = seen.state, seen.band
    g = np.broadcast_to(seen.group[:, None], state.shape)
    stratum = band * n_groups + g
    src, dst = state[:, :-1], state[:, 1:]
    s_src, s_dst = stratum[:, :-1], stratum[:, 1:]
    is_active = (state >= CLARIFICATION) & (state < CLOSED)
    a_src, a_dst = is_active[:, :-1], is_active[:, 1:]

    # A child that was active and is then in none of the states (no case, no episode,
    # never a case: only episodes without a case) has left: closed.
    to = np.where(dst == NO_CASE, CLOSED, dst)
    cell = (s_src[a_src] * N_ACTIVE + (src[a_src] - 1)) * N_DESTINATIONS + (to[a_src] - 1)
    counts = np.bincount(cell, minlength=strata * N_ACTIVE * N_DESTINATIONS)
    came = ~a_src & a_dst
    entries = np.bincount(
        s_dst[came] * N_ACTIVE + (dst[came] - 1), minlength=strata * N_ACTIVE
    ).reshape(strata, N_ACTIVE)

    exposure = np.bincount(s_src[a_src], minlength=strata).astype(np.float64)
    moved_on = a_src & (band[:, 1:] > band[:, :-1])
    aged = np.bincount(s_src[moved_on], minlength=strata).astype(np.float64)
    # A band nobody was seen in: the chance of a child of uniformly spread ages.
    fallback = np.array(
        [1.0 / ((hi - lo) * 12) if hi is not None else 0.0 for lo, hi in AGE_BANDS]
    ).repeat(n_groups)
    aging = np.where(exposure > 0, aged / np.maximum(exposure, 1.0), fallback)

    last = state[:, -1]
    now = (last >= CLARIFICATION) & (last < CLOSED)
    start = np.bincount(
        stratum[:, -1][now] * N_ACTIVE + (last[now] - 1), minlength=strata * N_ACTIVE
    ).reshape(strata, N_ACTIVE)

    mix, cost, per_type = _costs(data, window, factors, kept)
    loads = caseload(data, window)
    open_cases = np.array([sum(loads.get(code, {}).values()) for code in kept], dtype=np.float64)
    workers = np.array(
        [sum(1 for w in loads.get(code, {}) if w != "unknown") for code in kept], dtype=np.int64
    )
    named = np.array(
        [sum(n for w, n in loads.get(code, {}).items() if w != "unknown") for code in kept],
        dtype=np.float64,
    )
    return Estimate(
        window=window,
        groups=groups,
        counts=counts.reshape(strata, N_ACTIVE, N_DESTINATIONS).astype(np.int64),
        entries=entries.astype(np.int64),
        months=len(days) - 1,
        aging=aging,
        start=start.astype(np.float64),
        mix=mix,
        cost_per_day=cost,
        type_cost_per_day=per_type,
        open_cases=open_cases,
        caseworkers=workers,
        named_cases=named,
        base_year=base_year,
    )


def _costs(
    data: Prepared, window: Period, factors: Mapping[int, float] | None, kept: tuple[int, ...]
) -> tuple[Floats, Floats, Floats]:
    """The type mix (G, 7, 8) per kept group, the cost per day (7, 8) of every (step,
    placement type | none) and of each placement type (7,), from the episodes' days and
    spending in the window.

    The placement types' spending is the key figures' (`placement_table`), so the unit costs
    are the key figures' unit costs; the days split by step are counted here.
    """
    index = np.full(len(data.groups), -1, dtype=np.int64)
    index[list(kept)] = np.arange(len(kept))
    episodes = data.episodes.select(
        "g",
        "step",
        "type",
        overlap_days(window).alias("days"),
        _spending(window, factors).alias("spending"),
    ).filter(pl.col("days") > 0)
    g = index[_ints(episodes, "g")]
    step = _ints(episodes, "step")
    kind = np.where((t := _ints(episodes, "type")) >= 0, t, NO_TYPE)
    width = NO_TYPE + 1
    days_f = episodes.get_column("days").cast(pl.Float64).to_numpy()
    spent = episodes.get_column("spending").cast(pl.Float64).to_numpy()
    n_groups = len(kept)
    ok = g >= 0
    cell = (g[ok] * 6 + step[ok]) * width + kind[ok]
    days = np.bincount(cell, weights=days_f[ok], minlength=n_groups * 6 * width).reshape(
        n_groups, 6, width
    )
    pooled_cell = step * width + kind
    pooled_days = np.bincount(pooled_cell, weights=days_f, minlength=6 * width).reshape(6, width)
    pooled_spent = np.bincount(pooled_cell, weights=spent, minlength=6 * width).reshape(6, width)

    # The placement types' spending per day is the key figures' own: the same sums.
    table = placement_table(data, window, factors)
    type_cols = slice(4, 4 + len(TYPES))  # total, 3 categories, then the types
    type_days = table.days[-1, type_cols].astype(np.float64)
    type_spent = table.spending[-1, type_cols]
    per_type = np.divide(type_spent, type_days, out=np.zeros(len(TYPES)), where=type_days > 0)

    cost = np.zeros((N_ACTIVE, width))
    with np.errstate(divide="ignore", invalid="ignore"):
        by_step = np.where(pooled_days > 0, pooled_spent / np.maximum(pooled_days, 1e-300), 0.0)
    by_step[:, :NO_TYPE] = np.where(pooled_days[:, :NO_TYPE] > 0, per_type[None, :], 0.0)
    cost[1:] = by_step

    pooled_share = pooled_days / np.maximum(pooled_days.sum(axis=1, keepdims=True), 1e-300)
    pooled_share[pooled_days.sum(axis=1) == 0, NO_TYPE] = 1.0
    shrunk = days + MIX_PRIOR_DAYS * pooled_share[None, :, :]
    mix = np.zeros((n_groups, N_ACTIVE, width))
    mix[:, 0, NO_TYPE] = 1.0  # under clarification: no measure, no cost
    mix[:, 1:] = shrunk / shrunk.sum(axis=2, keepdims=True)
    return mix, cost, per_type
