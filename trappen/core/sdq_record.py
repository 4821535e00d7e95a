"""The rules for recording an SDQ measurement of a child (docs/wellbeing.md, "Recording").

A measurement is a response (`sdq.Response`: the informant and the 25 answers) with a date,
and it belongs to a child with a date of birth. On top of what `sdq.Response` refuses (an
answer outside 0-2, a wrong number of items, an unknown informant), a measurement is refused
when it is dated before the child was born or after today, or when the child's age on that day
is outside the ages of the informant's version of the questionnaire (`data/sdq_versions.json`:
parent and teacher 4-17, self-report 11-17).

Every check returns its problem instead of raising, so a caller can name all of them at once;
`check` raises the first.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from trappen.core import ruledata
from trappen.core.sdq import Informant, SdqInputError, parse_informant

VERSIONS_RESOURCE = "sdq_versions.json"


class MeasurementDateError(SdqInputError):
    """The date is before the child's birth (`kind` "before_birth") or after today ("future")."""

    def __init__(self, kind: str, on: date, limit: date) -> None:
        self.kind, self.on, self.limit = kind, on, limit
        what = "before the child was born" if kind == "before_birth" else "in the future"
        super().__init__(f"date {on.isoformat()} is {what} ({limit.isoformat()})")


class AgeOutOfRange(SdqInputError):
    """The child's age on the day is outside the informant's version's ages."""

    def __init__(self, informant: Informant, age: int, low: int, high: int) -> None:
        self.informant, self.age, self.low, self.high = informant, age, low, high
        super().__init__(
            f"the child is {age} on that day; the {informant.value} questionnaire is for "
            f"{low}-{high} year olds"
        )


@dataclass(frozen=True)
class Versions:
    source: str  # the title and url of the source
    ages: Mapping[Informant, tuple[int, int]]  # completed years, both ends included

    def range_of(self, informant: Informant) -> tuple[int, int]:
        return self.ages[informant]


def parse_versions(data: Mapping[str, Any]) -> Versions:
    """The ages per informant; ValueError unless every informant has a range low ≤ high."""
    source = data.get("source")
    if not isinstance(source, Mapping) or not source.get("url"):
        raise ValueError("sdq versions: a source with a url is required")
    raw = data.get("ages")
    if not isinstance(raw, Mapping):
        raise ValueError("sdq versions: 'ages' must map each informant to [low, high]")
    ages: dict[Informant, tuple[int, int]] = {}
    for key, value in raw.items():
        informant = parse_informant(key)
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(type(v) is int for v in value)
            or not 0 <= value[0] <= value[1]
        ):
            raise ValueError(f"sdq versions: {key}: ages must be [low, high], not {value!r}")
        ages[informant] = (value[0], value[1])
    missing = [i.value for i in Informant if i not in ages]
    if missing:
        raise ValueError(f"sdq versions: no ages for {', '.join(missing)}")
    return Versions(f"{source.get('title', '')} ({source['url']})", ages)


@cache
def default_versions() -> Versions:
    """The shipped `data/sdq_versions.json`."""
    return parse_versions(ruledata.load(VERSIONS_RESOURCE))


def age_on(birth: date, day: date) -> int:
    """Completed years on `day` (a child born 29 February is a year older on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def problems(
    informant: Informant,
    birth: date,
    on: date,
    today: date,
    versions: Versions | None = None,
) -> list[SdqInputError]:
    """Everything wrong with a measurement's date for this child and informant, in order:
    the date before birth or in the future, then the age (only for a possible date)."""
    found: list[SdqInputError] = []
    if on < birth:
        found.append(MeasurementDateError("before_birth", on, birth))
    if on > today:
        found.append(MeasurementDateError("future", on, today))
    if found:
        return found
    low, high = (versions or default_versions()).range_of(informant)
    age = age_on(birth, on)
    if not low <= age <= high:
        found.append(AgeOutOfRange(informant, age, low, high))
    return found


def check(
    informant: Informant,
    birth: date,
    on: date,
    today: date,
    versions: Versions | None = None,
) -> None:
    """Raise the first of `problems`, if any."""
    found = problems(informant, birth, on, today, versions)
    if found:
        raise found[0]
