"""The network meeting's rules, without Django: who is listed first, and the reserved slots.

KORA 2017, appendix 2 (Herning-modellen 1.0), "Netværksmøder og inddragende netværksmøder":
the invitation lists the participants by role and name with the child and the parents first;
"Det er den leder eller fagperson, der har bekymringen, der inviterer til møde"; "Fastsat tid
til afholdelse af netværksmøder i kalenderen for at reducere responstiden og lette skolernes og
daginstitutionernes langtidsplanlægning" and "Hvis man inden for én uge ikke er indkaldt, kan
man for nuværende selv disponere over tiden": a reserved slot nobody has booked a week before
it is released to its holder. The number of days is data (`core/data/slots.json`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Listing order of the invitation's participants (the template's own order).
ROLE_ORDER = (
    "child",
    "parent",
    "network",
    "school",
    "day_care",
    "psychologist",
    "caseworker",
    "health_visitor",
    "other",
)


def role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def days_to_meeting(concern_on: date, meeting_on: date) -> int:
    """Days from the concern to the meeting (0: the same day); shown, not measured against an
    aim (the seed's week is about the reserved slots, see `slot_state`)."""
    return (meeting_on - concern_on).days


class SlotState(StrEnum):
    OPEN = "open"  # reserved for network meetings, bookable
    BOOKED = "booked"  # a meeting was called into it
    RELEASED = "released"  # nobody booked it in time: the holder disposes of the time


@dataclass(frozen=True)
class ReleaseRule:
    """A slot unbooked `release_days` before its day is released (the seed's "én uge")."""

    release_days: int

    def release_on(self, slot_day: date) -> date:
        return slot_day - timedelta(days=self.release_days)


def slot_state(slot_day: date, booked: bool, today: date, rule: ReleaseRule) -> SlotState:
    """Booked stays booked; an unbooked slot is open until its release day and released from
    it on (a slot `release_days` or fewer days ahead is released)."""
    if booked:
        return SlotState.BOOKED
    if today >= rule.release_on(slot_day):
        return SlotState.RELEASED
    return SlotState.OPEN


def may_book(slot_day: date, booked: bool, today: date, rule: ReleaseRule) -> bool:
    return slot_state(slot_day, booked, today, rule) is SlotState.OPEN


def weekly_days(first: date, until: date, every_days: int = 7) -> list[date]:
    """The days of a recurring reservation from `first` to `until` (inclusive)."""
    if every_days < 1:
        raise ValueError("every_days must be at least 1")
    days: list[date] = []
    day = first
    while day <= until:
        days.append(day)
        day += timedelta(days=every_days)
    return days
