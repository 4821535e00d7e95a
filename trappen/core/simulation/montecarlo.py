"""The Monte Carlo: the baseline and a scenario over 1-10 years, with 80 % intervals.

Each run draws one set of parameters from what the window showed (`chain.Estimate`):

- every row of the chain (per stratum and active state) from Dirichlet(counts + prior);
- where entering children come in, per stratum, from Dirichlet(entries + prior);
- the number of children coming in a month, per stratum, from Gamma(entries + ½, months)
  (the posterior of a Poisson rate under Jeffreys' prior).

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

    rows: Floats
    entry_shares: Floats
    entry_rate: Floats


def _dirichlet(alpha: Floats, runs: int, rng: np.random.Generator) -> Floats:
    """`runs` draws of every row of `alpha` (..., K): normalised Gamma variates."""
    g = rng.standard_gamma(np.broadcast_to(alpha, (runs, *alpha.shape)))
    total = g.sum(axis=-1, keepdims=True)
    # A row of tiny alphas can underflow to all zeros: take its mean then.
    mean = np.broadcast_to(alpha / alpha.sum(axis=-1, keepdims=True), g.shape)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, g / safe, mean)


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
    shape = est.entries.sum(axis=1) + 0.5
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


def propagate(est: Estimate, rows: Floats, inflow: Floats, years: int) -> Floats:
    """The average number of children per run, year, stratum and active state (R, Y, S, 7):
    from `est.start`, month by month x ← age(x · rows) + inflow; a year's average is the mean
    of its months' average of start and end."""
    runs, strata = rows.shape[0], est.strata
    step = np.ascontiguousarray(rows[..., :N_ACTIVE])  # (R, S, 7, 7): who stays active
    bands, groups = len(BAND_NAMES), len(est.groups)
    aging = est.aging.reshape(bands, groups)[None, :, :, None]
    x = np.broadcast_to(est.start, (runs, strata, N_ACTIVE)).copy()
    out = np.zeros((runs, years, strata, N_ACTIVE))
    for month in range(12 * years):
        nxt = np.matmul(x[:, :, None, :], step)[:, :, 0, :]
        by_band = nxt.reshape(runs, bands, groups, N_ACTIVE)
        moved = by_band * aging
        by_band -= moved
        by_band[:, 1:] += moved[:, :-1]
        nxt += inflow
        out[:, month // 12] += (x + nxt) * (0.5 / 12.0)
        x = nxt
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
    open_cases: Floats  # (2, R, Y): the applied groups' average open cases
    caseworkers: Floats  # (2, R, Y): caseworkers those cases need (0 when unknown)
    staff_cost: Floats  # (R, Y): the scenario's extra staff, kr
    net_saving: Floats  # (R, Y): spending saved − extra staff, kr
    staff: Staff

    @property
    def years(self) -> int:
        return int(self.net_saving.shape[1])

    def break_even_year(self) -> Ints:
        """Per run: the first year whose cumulative net saving is ≥ 0 (0: none)."""
        ok = np.cumsum(self.net_saving, axis=1) >= 0
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
    placed = np.einsum("cryga,gat->cryt", by_group, est.mix[:, :, :NO_TYPE])
    spending = np.einsum("cryga,gat,at->cryt", by_group, est.mix, est.cost_per_day)
    spending *= DAYS_PER_YEAR
    wanted = [est.groups.index(name) for name in applied]
    open_cases = by_group[:, :, :, wanted].sum(axis=(3, 4))
    inv = scenario.investment
    caseworkers = np.zeros_like(open_cases)
    if staff.current_caseload is not None:
        caseworkers[0] = open_cases[0] / staff.current_caseload
        target = staff.caseload_target or staff.current_caseload
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
