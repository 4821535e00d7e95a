"""The intervention staircase: steps, placement types and where a child stands."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum


class Step(IntEnum):
    UNIVERSAL = 0
    PREVENTION = 1
    HOME_BASED = 2
    KINSHIP_PLACEMENT = 3
    FOSTER_CARE = 4
    INSTITUTION = 5


class PlacementType(StrEnum):
    RESIDENTIAL_INSTITUTION = "residential_institution"
    SOCIO_PEDAGOGICAL = "socio_pedagogical"
    SECURE_INSTITUTION = "secure_institution"
    FOSTER_ORDINARY = "foster_ordinary"
    FOSTER_NETWORK = "foster_network"
    FOSTER_SPECIAL = "foster_special"
    HOME_BASED = "home_based"


@dataclass(frozen=True)
class EpisodeSpan:
    step: int
    start: date
    end: date | None  # None: still running

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def current_step(episodes: Iterable[EpisodeSpan], on: date) -> int | None:
    """The highest step among the episodes active on `on`; None when none is active.

    An episode is active from its start date up to, not including, its end date.
    """
    steps = [e.step for e in episodes if e.active_on(on)]
    return max(steps) if steps else None
