"""The backtest: estimate on a window, forecast the year after it, and compare with what the
same dataset says happened (the key figures of that year, `kpi.evaluate`)."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

from trappen.core.dataset import CATEGORIES, Dataset
from trappen.core.kpi.period import Period
from trappen.core.kpi.report import CATEGORY_NAMES, TYPES, evaluate
from trappen.core.simulation.chain import NO_TYPE, add_months, estimate
from trappen.core.simulation.montecarlo import HIGH, LOW, describe, simulate
from trappen.core.simulation.scenario import BASELINE

DEFAULT_WINDOW = Period(date(2013, 1, 1), date(2014, 12, 31))


def _compare(model: np.ndarray[Any, Any], real: float | None) -> dict[str, Any]:
    low, median, high = (float(v) for v in np.quantile(model, [LOW, 0.5, HIGH]))
    real_value = float(real or 0.0)
    error = median - real_value
    return {
        "forecast": round(median, 3),
        "low": round(low, 3),
        "high": round(high, 3),
        "real": round(real_value, 3),
        "error": round(error, 3),
        "relative_error": round(error / real_value, 4) if real_value else None,
        "inside_interval": bool(low <= real_value <= high),
    }


def backtest(
    ds: Dataset,
    window: Period = DEFAULT_WINDOW,
    *,
    runs: int = 2_000,
    seed: int | None = 0,
    prices: Mapping[int, float] | None = None,
    base_year: int | None = None,
) -> dict[str, Any]:
    """Estimate on `window` (whole months), forecast the 12 months after it with the
    baseline, and set the forecast of placed årsbørn and spending on placements, in total,
    by category and by type, beside the dataset's own key figures of those 12 months."""
    est = estimate(ds, window, prices=prices, base_year=base_year)
    sim = simulate(est, BASELINE, years=1, runs=runs, seed=seed)
    first = window.stop
    after = Period(first, add_months(first, 12) - timedelta(days=1))
    real = evaluate(ds, after, prices=prices, base_year=base_year).total
    placed = sim.placed[0, :, 0]  # (R, 7)
    spent = sim.spending[0, :, 0, :NO_TYPE]
    out: dict[str, Any] = {"placed_aarsboern": {}, "spending": {}}
    for key, model, figures in (
        ("placed_aarsboern", placed, real.placed_aarsboern),
        ("spending", spent, real.spending),
    ):
        out[key]["total"] = _compare(model.sum(axis=1), figures.total)
        for c, name in enumerate(CATEGORY_NAMES):
            members = [t for t, typ in enumerate(TYPES) if _category(typ) == c]
            out[key][name] = _compare(model[:, members].sum(axis=1), figures.of(name))
        out[key]["by_type"] = {
            typ: _compare(model[:, t], figures.by_type[typ]) for t, typ in enumerate(TYPES)
        }
    return {
        "estimate": describe(est),
        "forecast": {"from": after.start.isoformat(), "to": after.end.isoformat()},
        "runs": runs,
        "seed": seed,
        "interval": [LOW, HIGH],
        **out,
    }


def _category(placement_type: str) -> int:
    for c, name in enumerate(CATEGORY_NAMES):
        if placement_type in {t.value for t in CATEGORIES[name]}:
            return c
    raise ValueError(placement_type)  # pragma: no cover - every type has a category
