"""Caseloads: who has room for a new case."""

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")


def suggest(loads: Mapping[K, int]) -> K | None:
    """The caseworker with the fewest open cases; ties go to the first in the given order."""
    best: K | None = None
    for worker, load in loads.items():
        if best is None or load < loads[best]:
            best = worker
    return best


def over_cap(load: int, cap: int) -> bool:
    return load > cap
