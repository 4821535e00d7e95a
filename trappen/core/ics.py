"""The structured investigation's areas and their rating (Barnets Lov § 22, stk. 1: the
børnefaglig undersøgelse looks at the challenges *and* resources of the child, the family and
the network).

The areas are data, `trappen/core/data/ics_areas.json`: one or more frameworks, each valid from
a day (by default Socialstyrelsen's ICS triangle as simplified from 1 January 2019: three
sides, ten dimensions), and the words of a five-step rating from a major concern (−2) to a
major resource (+2). `parse_catalogue` checks the file; `Catalogue.framework_on` picks the
framework in force on the day an investigation started; `profile` lays a set of ratings out
side by side for the chart.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from trappen.core import ruledata


class AreaDataError(ValueError):
    """The areas file is malformed; the message names where."""


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    side: str  # the key of its side


@dataclass(frozen=True)
class Side:
    key: str
    name: str
    areas: tuple[Area, ...]


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    valid_from: date
    valid_to: date | None
    source: Mapping[str, str]
    sides: tuple[Side, ...]

    @property
    def areas(self) -> tuple[Area, ...]:
        return tuple(area for side in self.sides for area in side.areas)

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Level:
    value: int
    key: str
    name: str


@dataclass(frozen=True)
class Catalogue:
    frameworks: tuple[Framework, ...]
    levels: tuple[Level, ...]
    law: Mapping[str, str]

    def framework_on(self, day: date) -> Framework:
        """The framework in force on `day`; the earliest one for a day before them all (an
        investigation from the history keeps a profile)."""
        for framework in self.frameworks:
            if framework.in_force(day):
                return framework
        return min(self.frameworks, key=lambda f: f.valid_from)

    def framework(self, key: str) -> Framework | None:
        return next((f for f in self.frameworks if f.key == key), None)

    def level(self, value: int) -> Level | None:
        return next((lv for lv in self.levels if lv.value == value), None)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(lv.value for lv in self.levels)


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise AreaDataError(f"{where}: '{key}' must be a non-empty text")
    return value


def _day(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise AreaDataError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _framework(raw: Any, where: str) -> Framework:
    if not isinstance(raw, Mapping):
        raise AreaDataError(f"{where}: must be an object")
    key = _text(raw, "key", where)
    where = f"framework {key}"
    source = raw.get("source")
    if not isinstance(source, Mapping) or not source.get("title") or not source.get("publisher"):
        raise AreaDataError(f"{where}: 'source' needs a title and a publisher")
    valid_from = _day(raw.get("valid_from"), where)
    valid_to = None if raw.get("valid_to") is None else _day(raw["valid_to"], where)
    if valid_to is not None and valid_to < valid_from:
        raise AreaDataError(f"{where}: valid_to is before valid_from")
    raw_sides = raw.get("sides")
    if not isinstance(raw_sides, list) or not raw_sides:
        raise AreaDataError(f"{where}: 'sides' must be a non-empty list")
    sides: list[Side] = []
    seen: set[str] = set()
    for index, raw_side in enumerate(raw_sides):
        side_where = f"{where}, sides[{index}]"
        if not isinstance(raw_side, Mapping):
            raise AreaDataError(f"{side_where}: must be an object")
        side_key = _text(raw_side, "key", side_where)
        raw_areas = raw_side.get("areas")
        if not isinstance(raw_areas, list) or not raw_areas:
            raise AreaDataError(f"{side_where}: 'areas' must be a non-empty list")
        areas = []
        for a_index, raw_area in enumerate(raw_areas):
            area_where = f"{side_where}, areas[{a_index}]"
            if not isinstance(raw_area, Mapping):
                raise AreaDataError(f"{area_where}: must be an object")
            area_key = _text(raw_area, "key", area_where)
            if area_key in seen:
                raise AreaDataError(f"{where}: the area key {area_key!r} appears twice")
            seen.add(area_key)
            areas.append(Area(area_key, _text(raw_area, "name", area_where), side_key))
        sides.append(Side(side_key, _text(raw_side, "name", side_where), tuple(areas)))
    return Framework(
        key=key,
        name=_text(raw, "name", where),
        valid_from=valid_from,
        valid_to=valid_to,
        source={str(k): str(v) for k, v in source.items()},
        sides=tuple(sides),
    )


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """The frameworks and the rating's words; AreaDataError unless the file is complete: at
    least one framework, unique keys, no two frameworks in force on the same day, and the
    rating's levels the consecutive integers −2 … +2 (concern negative, resource positive)."""
    raw_frameworks = data.get("frameworks")
    if not isinstance(raw_frameworks, list) or not raw_frameworks:
        raise AreaDataError("frameworks: must be a non-empty list")
    frameworks = tuple(_framework(raw, f"frameworks[{i}]") for i, raw in enumerate(raw_frameworks))
    keys = [f.key for f in frameworks]
    if len(set(keys)) != len(keys):
        raise AreaDataError("frameworks: two frameworks have the same key")
    ordered = sorted(frameworks, key=lambda f: f.valid_from)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.valid_to is None or before.valid_to >= after.valid_from:
            raise AreaDataError(
                f"frameworks {before.key} and {after.key} are in force on the same days"
            )
    ratings = data.get("ratings")
    if not isinstance(ratings, Mapping) or not ratings.get("source"):
        raise AreaDataError("ratings: needs a source and levels")
    raw_levels = ratings.get("levels")
    if not isinstance(raw_levels, list):
        raise AreaDataError("ratings: 'levels' must be a list")
    levels = []
    for index, raw in enumerate(raw_levels):
        where = f"ratings.levels[{index}]"
        if not isinstance(raw, Mapping) or type(raw.get("value")) is not int:
            raise AreaDataError(f"{where}: needs an integer value")
        levels.append(Level(raw["value"], _text(raw, "key", where), _text(raw, "name", where)))
    if [lv.value for lv in levels] != [-2, -1, 0, 1, 2]:
        raise AreaDataError("ratings: the levels must be -2, -1, 0, 1, 2 in that order")
    law = data.get("law")
    if not isinstance(law, Mapping) or not law.get("paragraph"):
        raise AreaDataError("law: must name the paragraph")
    return Catalogue(
        frameworks=tuple(ordered),
        levels=tuple(levels),
        law={str(k): str(v) for k, v in law.items()},
    )


@cache
def catalogue() -> Catalogue:
    return parse_catalogue(ruledata.load("ics_areas.json"))


@dataclass(frozen=True)
class Rated:
    area: Area
    value: int | None  # None: not assessed
    note: str = ""
    level: str = ""  # the rating's words

    @property
    def width(self) -> int:
        """The bar's length in steps from the middle (0-2), for the chart."""
        return abs(self.value) if self.value is not None else 0


@dataclass(frozen=True)
class SideProfile:
    side: Side
    rows: tuple[Rated, ...]

    @property
    def concerns(self) -> int:
        return sum(1 for r in self.rows if r.value is not None and r.value < 0)

    @property
    def resources(self) -> int:
        return sum(1 for r in self.rows if r.value is not None and r.value > 0)

    @property
    def assessed(self) -> int:
        return sum(1 for r in self.rows if r.value is not None)


def profile(
    framework: Framework,
    ratings: Mapping[str, tuple[int, str]],
    levels: tuple[Level, ...] = (),
) -> tuple[SideProfile, ...]:
    """Every area of the framework in its order, with its rating, note and the rating's words
    (from `levels`) when assessed (`ratings`: area key → (value, note)); keys the framework
    does not know are left out."""
    words = {lv.value: lv.name for lv in levels}

    def rated(area: Area) -> Rated:
        if area.key not in ratings:
            return Rated(area, None)
        value, note = ratings[area.key]
        return Rated(area, value, note, words.get(value, ""))

    return tuple(
        SideProfile(side, tuple(rated(area) for area in side.areas)) for side in framework.sides
    )


def unassessed_sides(profiles: tuple[SideProfile, ...]) -> tuple[Side, ...]:
    """The sides with no area rated: § 22, stk. 1, asks about the child, the family and the
    network alike."""
    return tuple(p.side for p in profiles if p.assessed == 0)
