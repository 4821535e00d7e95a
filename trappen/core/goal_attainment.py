"""Goal attainment at the follow-ups and the child's own rating, for the case page and the
steering.

The scales are data, `trappen/core/data/goal_attainment.json`: each SMART goal of the action
plan is rated at a follow-up on the five levels of Goal Attainment Scaling (Kiresuk and Sherman
1968: −2 much less than expected … 0 as expected … +2 much more than expected), and the child
rates how things are on 1-10 at the child conversation.

`attainment_by_group` is the steering's figure: per group of districts (pilot / others) and
half-year of the follow-up, the number of ratings, of goals and of children rated, the mean
rating and the share of ratings at or above the expected level (≥ 0).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from trappen.core import ruledata


class ScaleDataError(ValueError):
    """The scale file is malformed; the message names where."""


@dataclass(frozen=True)
class Level:
    value: int
    name: str


@dataclass(frozen=True)
class GoalScale:
    name: str
    expected: int
    levels: tuple[Level, ...]
    source: Mapping[str, str]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(lv.value for lv in self.levels)

    def name_of(self, value: int) -> str:
        return next(lv.name for lv in self.levels if lv.value == value)


@dataclass(frozen=True)
class ChildScale:
    name: str
    low: int
    high: int
    low_words: str
    high_words: str
    source: Mapping[str, str]

    def valid(self, value: int) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Scales:
    goal: GoalScale
    child: ChildScale


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScaleDataError(f"{where}: '{key}' must be a non-empty text")
    return value


def _int(raw: Mapping[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if type(value) is not int:
        raise ScaleDataError(f"{where}: '{key}' must be an integer")
    return value


def _source(raw: Mapping[str, Any], where: str) -> dict[str, str]:
    source = raw.get("source")
    if not isinstance(source, Mapping) or not source.get("title"):
        raise ScaleDataError(f"{where}: needs a source with a title")
    return {str(k): str(v) for k, v in source.items()}


def parse_scales(data: Mapping[str, Any]) -> Scales:
    """Both scales; ScaleDataError unless the goal scale's levels are consecutive integers in
    rising order around its expected level, each with its words, and the child's scale runs
    from a lower to a higher integer with the words of both ends."""
    raw_goal = data.get("goal_scale")
    if not isinstance(raw_goal, Mapping):
        raise ScaleDataError("goal_scale: must be an object")
    raw_levels = raw_goal.get("levels")
    if not isinstance(raw_levels, list) or len(raw_levels) < 2:
        raise ScaleDataError("goal_scale: 'levels' must list at least two levels")
    levels = []
    for index, raw in enumerate(raw_levels):
        where = f"goal_scale.levels[{index}]"
        if not isinstance(raw, Mapping):
            raise ScaleDataError(f"{where}: must be an object")
        levels.append(Level(_int(raw, "value", where), _text(raw, "name", where)))
    values = [lv.value for lv in levels]
    if values != list(range(values[0], values[0] + len(values))):
        raise ScaleDataError("goal_scale: the levels must be consecutive integers, rising")
    expected = _int(raw_goal, "expected", "goal_scale")
    if expected not in values:
        raise ScaleDataError("goal_scale: 'expected' must be one of the levels")
    raw_child = data.get("child_scale")
    if not isinstance(raw_child, Mapping):
        raise ScaleDataError("child_scale: must be an object")
    low, high = _int(raw_child, "low", "child_scale"), _int(raw_child, "high", "child_scale")
    if low >= high:
        raise ScaleDataError("child_scale: 'low' must be below 'high'")
    return Scales(
        goal=GoalScale(
            _text(raw_goal, "name", "goal_scale"),
            expected,
            tuple(levels),
            _source(raw_goal, "goal_scale"),
        ),
        child=ChildScale(
            _text(raw_child, "name", "child_scale"),
            low,
            high,
            _text(raw_child, "low_words", "child_scale"),
            _text(raw_child, "high_words", "child_scale"),
            _source(raw_child, "child_scale"),
        ),
    )


@cache
def scales() -> Scales:
    return parse_scales(ruledata.load("goal_attainment.json"))


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1: January-June, 2: July-December

    @classmethod
    def of(cls, day: date) -> "HalfYear":
        return cls(day.year, 1 if day.month <= 6 else 2)

    def __str__(self) -> str:
        return f"{self.year} H{self.half}"


@dataclass(frozen=True)
class Rating:
    """One goal rated at one follow-up: the group of the case's district on that day, the
    goal's line (the same goal through the plan's revisions) and the child."""

    group: str
    held_on: date
    value: int
    goal: int
    child: int


@dataclass(frozen=True)
class AttainmentRow:
    group: str
    half_year: HalfYear
    ratings: int
    goals: int
    children: int
    mean: float
    share_expected: float  # ratings at or above the expected level, 0-1


def attainment_by_group(ratings: Iterable[Rating], expected: int = 0) -> tuple[AttainmentRow, ...]:
    """Per group and half-year (sorted by group, then half-year): how many ratings, goals and
    children, the mean rating and the share at or above `expected`. A group or half-year with
    no rating has no row (no zero that reads as a result)."""
    cells: dict[tuple[str, HalfYear], list[Rating]] = defaultdict(list)
    for rating in ratings:
        cells[(rating.group, HalfYear.of(rating.held_on))].append(rating)
    rows = []
    for (group, half), cell in sorted(cells.items()):
        values = [r.value for r in cell]
        rows.append(
            AttainmentRow(
                group=group,
                half_year=half,
                ratings=len(values),
                goals=len({r.goal for r in cell}),
                children=len({r.child for r in cell}),
                mean=sum(values) / len(values),
                share_expected=sum(1 for v in values if v >= expected) / len(values),
            )
        )
    return tuple(rows)
