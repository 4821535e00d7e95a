"""The Monte Carlo: the baseline and a scenario over 1-10 years, with 80 % intervals.

Each run draws one set of parameters from what the window showed (`chain.Estimate`):

- every row of the chain (per stratum and active state) from Dirichlet(counts + prior);
- where entering children come in, per stratum, from Dirichlet(entries + prior);
- the number of children coming in a month, per stratum, from Gamma(entries, months)
  (the posterior of a Poisson rate under the scale-free prior 1/λ: its mean is what the
  window showed, and a stratum nobody came into gets nobody).

It then carries the expected number of children in every stratum and state forward month by
month (x ← x·P, then ageing into the next band, then the month's entries) for the baseline and
the scenario *with the same draws* (common random numbers: where the scenario changes nothing,
the two are equal run by run, and the difference carries only the uncertainty of what
changes). The spread over the runs is parameter uncertainty: how sure the data make us of
the rates. The chance of individual children (which of them happen to move) is not drawn;
docs/simulation.md says what that means for a small municipality.

All of it is NumPy over arrays shaped (runs, strata, states): no Python loop over runs or
children; the loop is over months.
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trappen.core.kpi.report import CATEGORY_NAMES, TYPES
from trappen.core.simulation.chain import (
    BAND_NAMES,
    DAYS_PER_YEAR,
    N_ACTIVE,
    NO_TYPE,
    Estimate,
    add_months,
)
from trappen.core.simulation.scenario import (
    Scenario,
    ScenarioError,
    apply_changes,
    apply_entry_changes,
)

Floats = NDArray[np.float64]
Reals = NDArray[np.floating[Any]]  # the draws: single precision (see _dirichlet)
Ints = NDArray[np.int64]

MAX_YEARS = 10
LOW, HIGH = 0.10, 0.90  # the 80 % interval
# Category of each placement type (TYPES order).
_CATEGORY = np.array(
    [CATEGORY_NAMES.index(c) for c in ("institution",) * 3 + ("family_care",) * 3]
    + [CATEGORY_NAMES.index("home_based")]
)


@dataclass(frozen=True)
class Parameters:
    """One draw per run: rows (R, S, 7, 9), entry shares (R, S, 7), entries a month (R, S)."""

    rows: Reals
    entry_shares: Reals
    entry_rate: Floats


def _dirichlet(alpha: Floats, runs: int, rng: np.random.Generator) -> Reals:
    """`runs` draws of every row of `alpha` (..., K): normalised Gamma variates, in single
    precision (7 significant digits, far finer than the spread of the runs; it halves the
    time and memory of everything that follows)."""
    g = rng.standard_gamma(
        np.broadcast_to(alpha.astype(np.float32), (runs, *alpha.shape)), dtype=np.float32
    )
    total = g.sum(axis=-1, keepdims=True)
    empty = total[..., 0] <= 0
    np.divide(g, np.where(empty[..., None], np.float32(1), total), out=g)
    if empty.any():
        # A row of tiny alphas can underflow to all zeros: take its mean then.
        mean = (alpha / alpha.sum(axis=-1, keepdims=True)).astype(np.float32)
        g[empty] = np.broadcast_to(mean, g.shape)[empty]
    return g


def draw(est: Estimate, runs: int, rng: np.random.Generator | None) -> Parameters:
    """The parameters of `runs` runs; `rng` None: every run gets the point estimates."""
    if rng is None:
        return Parameters(
            rows=np.broadcast_to(est.rates(), (runs, *est.counts.shape)).copy(),
            entry_shares=np.broadcast_to(est.entry_shares(), (runs, *est.entries.shape)).copy(),
            entry_rate=np.broadcast_to(est.entry_rate(), (runs, est.strata)).copy(),
        )
    rows = _dirichlet(est.alpha(), runs, rng)
    shares = _dirichlet(est.entry_alpha(), runs, rng)
    shape = est.entries.sum(axis=1).astype(np.float64)
    rate = rng.standard_gamma(np.broadcast_to(shape, (runs, est.strata))) / est.months
    return Parameters(rows, shares, rate)


def _strata_of(est: Estimate, groups: tuple[str, ...]) -> Ints:
    g = est.group_of_stratum()
    wanted = [est.groups.index(name) for name in groups]
    return np.flatnonzero(np.isin(g, wanted)).astype(np.int64)


def applied_groups(est: Estimate, scenario: Scenario) -> tuple[str, ...]:
    if scenario.apply_to is None:
        return est.groups
    for name in scenario.apply_to:
        if name not in est.groups:
            raise ScenarioError(
                f"scenario: apply_to names the group {name!r}, which the data does not have "
                f"(its groups: {', '.join(est.groups)})"
            )
    return scenario.apply_to


def scenario_parameters(est: Estimate, scenario: Scenario, base: Parameters) -> Parameters:
    """The scenario's parameters from the baseline's draws: the applied groups' rows and
    entry shares replaced by `rates_from`'s (same band, same draw), then changed."""
    strata = _strata_of(est, applied_groups(est, scenario))
    rows, shares = base.rows.copy(), base.entry_shares.copy()
    if scenario.rates_from is not None:
        if scenario.rates_from not in est.groups:
            raise ScenarioError(
                f"scenario: rates_from names the group {scenario.rates_from!r}, which the data "
                f"does not have (its groups: {', '.join(est.groups)})"
            )
        n = len(est.groups)
        source = (strata // n) * n + est.groups.index(scenario.rates_from)
        rows[:, strata] = base.rows[:, source]
        shares[:, strata] = base.entry_shares[:, source]
    rows[:, strata] = apply_changes(rows[:, strata], scenario.changes)
    shares[:, strata] = apply_entry_changes(shares[:, strata], scenario.changes)
    return Parameters(rows, shares, base.entry_rate)


def scenario_mix(est: Estimate, scenario: Scenario) -> Floats:
    """(G, 7, 8): the share of each state's days by placement type under the scenario. With
    `rates_from`, the applied groups place as that group does (its kinship and foster-care
    share on each step), not only move as it does."""
    mix = est.mix.copy()
    if scenario.rates_from is not None:
        source = est.groups.index(scenario.rates_from)
        for name in applied_groups(est, scenario):
            mix[est.groups.index(name)] = est.mix[source]
    return mix


def propagate(est: Estimate, rows: Reals, inflow: Reals, years: int) -> Floats:
    """The average number of children per run, year, stratum and active state (R, Y, S, 7):
    from `est.start`, month by month x ← age(x · rows) + inflow; a year's average is the mean
    of its months' average of start and end.

    In the precision of `rows`. Internally the runs are the last axis, so each of the
    month's seven multiply-adds is one long vector operation, with buffers reused (about
    twice as fast as a batched matmul of 7 × 7 matrices)."""
    runs, strata = rows.shape[0], est.strata
    dtype = rows.dtype
    step = np.ascontiguousarray(np.moveaxis(rows[..., :N_ACTIVE], 0, -1))  # (S, 7, 7, R)
    bands, groups = len(BAND_NAMES), len(est.groups)
    aging = est.aging.reshape(bands, groups, 1, 1).astype(dtype)
    add = np.ascontiguousarray(
        np.moveaxis(np.broadcast_to(inflow, (runs, strata, N_ACTIVE)), 0, -1), dtype=dtype
    )
    x = np.ascontiguousarray(
        np.broadcast_to(est.start.astype(dtype)[..., None], (strata, N_ACTIVE, runs))
    )
    nxt, term = np.empty_like(x), np.empty_like(x)
    moved = np.empty((bands, groups, N_ACTIVE, runs), dtype=dtype)
    year = np.zeros_like(x)
    out = np.zeros((runs, years, strata, N_ACTIVE))
    for month in range(12 * years):
        np.multiply(x[:, 0, None, :], step[:, 0], out=nxt)
        for a in range(1, N_ACTIVE):
            np.multiply(x[:, a, None, :], step[:, a], out=term)
            nxt += term
        by_band = nxt.reshape(bands, groups, N_ACTIVE, runs)
        np.multiply(by_band, aging, out=moved)
        by_band -= moved
        by_band[1:] += moved[:-1]
        nxt += add
        year += x
        year += nxt
        if month % 12 == 11:
            out[:, month // 12] = np.moveaxis(year, -1, 0) * (0.5 / 12.0)
            year[...] = 0.0
        x, nxt = nxt, x
    return out


@dataclass(frozen=True)
class Staff:
    current_caseload: float | None
    caseload_target: float | None


@dataclass(frozen=True)
class Simulation:
    """The runs' yearly results; axis 0 of the chain arrays: 0 baseline, 1 scenario."""

    estimate: Estimate
    scenario: Scenario
    applied: tuple[str, ...]
    runs: int
    seed: int | None
    first_month: date
    placed: Floats  # (2, R, Y, 7): placed årsbørn by type
    spending: Floats  # (2, R, Y, 8): kr by placement type, then other measures
    open_cases: (
        Floats  # (2, R, Y): the applied groups' average open cases (children × cases per child)
    )
    caseworkers: Floats  # (2, R, Y): caseworkers those cases need (0 when unknown)
    staff_cost: Floats  # (R, Y): the scenario's extra staff, kr
    net_saving: Floats  # (R, Y): spending saved − extra staff, kr
    staff: Staff

    @property
    def years(self) -> int:
        return int(self.net_saving.shape[1])

    def break_even_year(self) -> Ints:
        """Per run: the first year whose cumulative net saving is above 0 (0: none). A
        scenario that changes nothing saves exactly 0 and never breaks even."""
        ok = np.cumsum(self.net_saving, axis=1) > 0
        first = np.argmax(ok, axis=1) + 1
        return np.where(ok.any(axis=1), first, 0).astype(np.int64)

    def summary(self) -> dict[str, Any]:
        return summarise(self)


def simulate(
    est: Estimate,
    scenario: Scenario,
    *,
    years: int = 5,
    runs: int = 10_000,
    seed: int | None = None,
    uncertainty: bool = True,
) -> Simulation:
    """The baseline and `scenario` over `years` years (1-10) in `runs` runs.

    `seed`: the seed of the `numpy.random.Generator` (None: fresh entropy); the same seed
    gives the same result. `uncertainty=False`: every run uses the point estimates (the
    expected path; for checking by hand).
    """
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be 1-{MAX_YEARS}, not {years}")
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    applied = applied_groups(est, scenario)
    staff = _staff(est, scenario, applied)
    rng = np.random.default_rng(seed) if uncertainty else None
    base = draw(est, runs, rng)
    scen = scenario_parameters(est, scenario, base)
    rows = np.concatenate([base.rows, scen.rows])
    inflow = np.concatenate(
        [
            base.entry_rate[..., None] * base.entry_shares,
            scen.entry_rate[..., None] * scen.entry_shares,
        ]
    )
    occupancy = propagate(est, rows, inflow, years).reshape(
        2, runs, years, len(BAND_NAMES), len(est.groups), N_ACTIVE
    )
    by_group = occupancy.sum(axis=3)  # (2, R, Y, G, 7)
    mix = np.stack([est.mix, scenario_mix(est, scenario)])  # (2, G, 7, 8)
    placed = np.einsum("cryga,cgat->cryt", by_group, mix[..., :NO_TYPE])
    spending = np.einsum("cryga,cgat,at->cryt", by_group, mix, est.cost_per_day)
    spending *= DAYS_PER_YEAR
    wanted = [est.groups.index(name) for name in applied]
    # The chain counts children; a child may have more than one case (siblings' cases are
    # separate), so children become cases at each group's ratio on the window's last day.
    cases = by_group.sum(axis=4) * est.cases_per_child()  # (2, R, Y, G)
    open_cases = cases[:, :, :, wanted].sum(axis=3)
    inv = scenario.investment
    caseworkers = np.zeros_like(open_cases)
    if staff.current_caseload is not None:
        caseworkers[0] = open_cases[0] / staff.current_caseload
        # A target above today's caseload asks for nobody to be hired, not for dismissals.
        target = min(staff.caseload_target or staff.current_caseload, staff.current_caseload)
        caseworkers[1] = open_cases[1] / target
    staff_cost = (caseworkers[1] - caseworkers[0]) * inv.caseworker_cost + inv.fixed_cost
    saved = spending[0].sum(axis=-1) - spending[1].sum(axis=-1)
    return Simulation(
        estimate=est,
        scenario=scenario,
        applied=applied,
        runs=runs,
        seed=seed,
        first_month=est.window.stop,
        placed=placed,
        spending=spending,
        open_cases=open_cases,
        caseworkers=caseworkers,
        staff_cost=staff_cost,
        net_saving=saved - staff_cost,
        staff=staff,
    )


def _staff(est: Estimate, scenario: Scenario, applied: tuple[str, ...]) -> Staff:
    inv = scenario.investment
    current = inv.current_caseload
    if current is None:
        current = est.current_caseload(tuple(est.groups.index(g) for g in applied))
    if current is None and inv.caseload_target is not None:
        raise ScenarioError(
            "scenario: investment.current_caseload is needed: the data names no caseworker "
            "of an open case on the window's last day, so today's caseload is unknown"
        )
    return Staff(current_caseload=current, caseload_target=inv.caseload_target)


# --- the summary ---------------------------------------------------------------------------


def quantiles(values: Floats) -> dict[str, float]:
    """Median, the 80 % interval and the mean of the runs (axis 0)."""
    low, median, high = np.quantile(values, [LOW, 0.5, HIGH], axis=0)
    return {
        "median": round(float(median), 3),
        "low": round(float(low), 3),
        "high": round(float(high), 3),
        "mean": round(float(values.mean(axis=0)), 3),
    }


def _kinds(values: Floats) -> dict[str, Any]:
    """(R, 7) by type → total, the categories and by_type, each with its quantiles."""
    per_cat = np.stack([values[:, c == _CATEGORY].sum(axis=1) for c in range(3)], axis=1)
    return {
        "total": quantiles(values.sum(axis=1)),
        **{name: quantiles(per_cat[:, c]) for c, name in enumerate(CATEGORY_NAMES)},
        "by_type": {name: quantiles(values[:, t]) for t, name in enumerate(TYPES)},
    }


def _chain(sim: Simulation, c: int, y: int) -> dict[str, Any]:
    spending = sim.spending[c, :, y]
    placements = spending[:, :NO_TYPE]
    return {
        "placed_aarsboern": _kinds(sim.placed[c, :, y]),
        "spending": {
            "placements": _kinds(placements),
            "other_measures": quantiles(spending[:, NO_TYPE]),
            "total": quantiles(spending.sum(axis=1)),
        },
        "open_cases": quantiles(sim.open_cases[c, :, y]),
        "caseworkers": quantiles(sim.caseworkers[c, :, y]),
    }


def summarise(sim: Simulation) -> dict[str, Any]:
    """The JSON-ready result (docs/simulation.md)."""
    est, scenario = sim.estimate, sim.scenario
    cumulative = np.cumsum(sim.net_saving, axis=1)
    even = sim.break_even_year()
    by_year = [float(np.mean((even >= 1) & (even <= y + 1))) for y in range(sim.years)]
    median_year = next((y + 1 for y, p in enumerate(by_year) if p >= 0.5), None)
    years = []
    for y in range(sim.years):
        first = add_months(sim.first_month, 12 * y)
        last = add_months(sim.first_month, 12 * y + 11)
        years.append(
            {
                "year": y + 1,
                "from": first.strftime("%Y-%m"),
                "to": last.strftime("%Y-%m"),
                "baseline": _chain(sim, 0, y),
                "scenario": _chain(sim, 1, y),
                "staff_cost": quantiles(sim.staff_cost[:, y]),
                "net_saving": quantiles(sim.net_saving[:, y]),
                "cumulative_net_saving": quantiles(cumulative[:, y]),
            }
        )
    return {
        "scenario": {
            "name": scenario.name,
            "source": scenario.source,
            "assumptions": list(scenario.assumptions),
            "apply_to": list(sim.applied),
            "rates_from": scenario.rates_from,
            "changes": dict(scenario.changes),
            "investment": asdict(scenario.investment),
        },
        "estimate": describe(est),
        "staff": {
            "current_caseload": _round(sim.staff.current_caseload),
            "caseload_target": sim.staff.caseload_target,
        },
        "runs": sim.runs,
        "seed": sim.seed,
        "interval": [LOW, HIGH],
        "prices": None if est.base_year is None else {"base_year": est.base_year},
        "years": years,
        "break_even": {
            "year": median_year,
            "share_of_runs_by_year": [round(p, 4) for p in by_year],
        },
    }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def describe(est: Estimate) -> dict[str, Any]:
    """What the chain was estimated from, for the output."""
    return {
        "window": {"from": est.window.start.isoformat(), "to": est.window.end.isoformat()},
        "months": est.months,
        "groups": list(est.groups),
        "age_bands": list(BAND_NAMES),
        "transitions": int(est.counts.sum()),
        "entries": int(est.entries.sum()),
        "entries_per_month": round(float(est.entries.sum()) / est.months, 3),
        "children_at_start": round(float(est.start.sum()), 3),
        "unit_cost": {k: _round(v, 0) for k, v in est.unit_cost().items()},
        "open_cases": {
            g: _round(float(n)) for g, n in zip(est.groups, est.open_cases, strict=True)
        },
        "caseworkers": {g: int(n) for g, n in zip(est.groups, est.caseworkers, strict=True)},
    }
