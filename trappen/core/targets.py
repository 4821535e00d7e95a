"""The programme's targets as traffic lights: pure, typed, no Django.

A target is data (`core/data/targets.json`): the figure it reads, the direction ("at
least" or "at most"), the green and the yellow threshold, its source and validity. `evaluate()`
gives a measured value its light; a figure not measured (no data yet, or a figure the key
figures do not have yet) is `Light.UNMEASURED`, never a red.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNMEASURED = "unmeasured"


class Direction(StrEnum):
    AT_LEAST = "at_least"  # higher is better: green from `green` up
    AT_MOST = "at_most"  # lower is better: green up to `green`


class TargetError(ValueError):
    """A target row that cannot be right (named by its key)."""


@dataclass(frozen=True)
class Target:
    key: str  # the figure it reads: family_care_share, mean_caseload, ...
    label: str  # English; the UI translates it
    direction: Direction
    green: float  # the target itself
    yellow: float  # the edge of yellow; beyond it red
    unit: str  # "share" (0-1) or "cases"
    source: str
    valid_from: date
    valid_to: date | None = None  # inclusive; None: still in force
    verified: bool = False  # the source checked against the publication itself

    def __post_init__(self) -> None:
        if self.direction is Direction.AT_LEAST and self.yellow > self.green:
            raise TargetError(f"{self.key}: the yellow edge lies above the target")
        if self.direction is Direction.AT_MOST and self.yellow < self.green:
            raise TargetError(f"{self.key}: the yellow edge lies below the target")
        if self.unit == "share" and not (0 <= self.yellow <= 1 and 0 <= self.green <= 1):
            raise TargetError(f"{self.key}: a share lies between 0 and 1")

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def improves(self, change: float | None) -> bool | None:
        """Is a change of the figure a change for the better (None: no change known)?"""
        if change is None or change == 0:
            return None
        return change > 0 if self.direction is Direction.AT_LEAST else change < 0

    def light(self, value: float | None) -> Light:
        if value is None:
            return Light.UNMEASURED
        if self.direction is Direction.AT_LEAST:
            if value >= self.green:
                return Light.GREEN
            return Light.YELLOW if value >= self.yellow else Light.RED
        if value <= self.green:
            return Light.GREEN
        return Light.YELLOW if value <= self.yellow else Light.RED


@dataclass(frozen=True)
class Reading:
    """One target's value and light for one group and period."""

    target: Target
    value: float | None

    @property
    def light(self) -> Light:
        return self.target.light(self.value)


def targets_from_data(data: Mapping[str, Any]) -> list[Target]:
    """The targets of the data file's "targets" list; a missing or unknown field is refused."""
    fields = {
        "key", "label", "direction", "green", "yellow", "unit", "source", "valid_from",
        "valid_to", "verified",
    }  # fmt: skip
    out = []
    for row in data["targets"]:
        unknown = set(row) - fields
        if unknown:
            raise TargetError(f"{row.get('key')}: unknown fields {sorted(unknown)}")
        out.append(
            Target(
                key=str(row["key"]),
                label=str(row["label"]),
                direction=Direction(row["direction"]),
                green=float(row["green"]),
                yellow=float(row["yellow"]),
                unit=str(row["unit"]),
                source=str(row["source"]),
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_to=date.fromisoformat(row["valid_to"]) if row.get("valid_to") else None,
                verified=bool(row.get("verified", False)),
            )
        )
    return out


def in_force(targets: Iterable[Target], on: date) -> list[Target]:
    """The targets in force on `on`, one per key (the latest valid_from), in the file's order."""
    chosen: dict[str, Target] = {}
    for t in targets:
        if t.in_force(on) and (t.key not in chosen or t.valid_from > chosen[t.key].valid_from):
            chosen[t.key] = t
    return list(chosen.values())


def evaluate(targets: Iterable[Target], values: Mapping[str, float | None]) -> list[Reading]:
    """Each target read against `values` (figure key → value; absent: not measured)."""
    return [Reading(t, values.get(t.key)) for t in targets]


def family_care_share(family_care: float | None, institution: float | None) -> float | None:
    """The 75/25 figure: family care's share of the children placed in family care or an
    institution (årsbørn); None when nobody is placed in either."""
    fc, inst = family_care or 0.0, institution or 0.0
    return fc / (fc + inst) if fc + inst > 0 else None


def trend(values: Iterable[float | None]) -> float | None:
    """The change from the first measured value to the last (None with fewer than two)."""
    measured = [v for v in values if v is not None]
    return measured[-1] - measured[0] if len(measured) >= 2 else None
