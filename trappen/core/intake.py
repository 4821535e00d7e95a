"""Intake as it happens (F8 point 4), as pure rules: the notifier's reference number, who is
on duty (vagt) when a notification comes in, and what a notifier must give.

- A reference number names the request kind, the year received and a serial, e.g.
  ``U-2026-000123``: the professional notifier gets it in the receipt and finds the
  submission by it in *Mine underretninger*; it says nothing about the child or the case.
- The duty roster is a list of shifts (start, end, caseworker). A moment belongs to a shift
  when start <= moment < end; of several shifts, the one that started first (then the lowest
  id) is on duty, so the answer never depends on the order the roster was typed in.
- An anonymous notifier gives no name and no contact; anyone else gives a name, and a
  professional (Barnets Lov § 133) also a phone number or an e-mail address, for the
  receipt and the questions afterwards.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


def reference(prefix: str, year: int, serial: int) -> str:
    """The reference number of a request: prefix, year, six-digit serial."""
    if not prefix or not prefix.isalpha() or serial < 1 or year < 1:
        raise ValueError("a reference needs a letter prefix, a year and a serial from 1")
    return f"{prefix.upper()}-{year:04d}-{serial:06d}"


@dataclass(frozen=True)
class Shift:
    starts_at: datetime
    ends_at: datetime
    worker: int
    id: int = 0

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def on_duty(shifts: Iterable[Shift], moment: datetime) -> int | None:
    """The worker on duty at `moment`, or None when the roster has nobody then."""
    covering = [s for s in shifts if s.covers(moment)]
    if not covering:
        return None
    return min(covering, key=lambda s: (s.starts_at, s.id)).worker


def overlaps(a: Shift, b: Shift) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def missing_notifier_details(
    *, anonymous: bool, professional: bool, name: str, phone: str, email: str
) -> list[str]:
    """The notifier fields still to be filled in ("name", "contact"); for an anonymous
    notifier, the ones that must stay empty ("no_name", "no_contact")."""
    name, phone, email = name.strip(), phone.strip(), email.strip()
    if anonymous:
        return (["no_name"] if name else []) + (["no_contact"] if phone or email else [])
    out = [] if name else ["name"]
    if professional and not (phone or email):
        out.append("contact")
    return out
