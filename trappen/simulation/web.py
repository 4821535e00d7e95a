"""The simulation for the steering page: the chain estimated once per data version (kept in
the steering's signed cache), the Monte Carlo run in one of the steering's evaluation slots
(`evaluation.limits`), so a simulation never holds more workers than the steering may."""

import pickle  # noqa: S403  (only of cache rows whose signature under the secret key matches)
from typing import Any

from django.conf import settings

from trappen.common.replica import on_replica
from trappen.core.simulation.chain import Estimate, estimate, latest_window
from trappen.core.simulation.montecarlo import simulate
from trappen.core.simulation.scenario import Scenario
from trappen.evaluation import limits
from trappen.steering_data.database import dataset_from_database

FORMAT = 1


def _estimate_key() -> str:
    return f"simulation-estimate:{FORMAT}:{limits.data_version()}"


def current_estimate() -> Estimate:
    """The chain over the 24 whole months before the latest case or episode, from the cache
    or estimated (needs the caller to hold a slot)."""
    key = _estimate_key()
    kept = limits.cache_get(key)
    if kept is not None:
        value = pickle.loads(kept)  # noqa: S301  (signed by us, see limits.cache_get)
        if isinstance(value, Estimate):
            return value
    with on_replica():
        dataset = dataset_from_database()
    est = estimate(dataset, latest_window(dataset))
    limits.cache_set(key, pickle.dumps(est), settings.TRAPPEN_STEERING_CACHE_SECONDS)
    return est


def run(scenario: Scenario, *, years: int, runs: int, seed: int) -> dict[str, Any]:
    """`simulate(...).summary()` against today's data; `limits.Busy` when every slot is
    taken; `ScenarioError`/`ValueError` when the scenario does not fit the data."""
    slot = limits.acquire_slot()
    if slot is None:
        raise limits.Busy
    try:
        est = current_estimate()
        return simulate(est, scenario, years=years, runs=runs, seed=seed).summary()
    finally:
        limits.release_slot(slot)
