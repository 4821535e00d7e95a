"""Legal bases held as data: which paragraph a kind of decision rests on, on a given date.

A kind of decision (a *concept*: supporting measure, placement, aftercare …) keeps its meaning
when the law is renumbered; the paragraph does not. Serviceloven § 52, stk. 3, became Barnets
Lov § 32 on 1 January 2024. The bases are rows with a validity period, and the one in force on
the date a decision takes effect is the one that applies.

One concept can have several paragraphs in force at once, e.g. the numbered items of
Serviceloven § 52, stk. 3. The *primary* one is what a decision of that kind is recorded under
when nothing more specific is known; the others are there to be read and chosen later.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LegalBasis:
    concept: str
    law: str
    paragraph: str
    valid_from: date
    valid_to: date | None = None  # inclusive; None: still in force
    primary: bool = True

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class NoBasisInForce(LookupError):
    pass


def bases_in_force(bases: Iterable[LegalBasis], concept: str, on: date) -> list[LegalBasis]:
    """Every basis of `concept` in force on `on`, the one that applies first."""
    matching = [b for b in bases if b.concept == concept and b.in_force(on)]
    return sorted(
        matching,
        # The later law wins a full tie (Barnets Lov replaced Serviceloven on the same subject).
        key=lambda b: (
            not b.primary,
            -b.valid_from.toordinal(),
            b.law != "Barnets Lov",
            b.law,
            b.paragraph,
            b.valid_to or date.max,
        ),
    )


def basis_in_force(bases: Iterable[LegalBasis], concept: str, on: date) -> LegalBasis:
    """The basis a decision of `concept` taking effect on `on` rests on.

    Among the bases in force that day a primary one wins over a more specific one; among equals
    the newest (latest `valid_from`) wins, then Barnets Lov, then the paragraph text, so the
    choice is the same whatever order the rows come in.
    """
    found = bases_in_force(bases, concept, on)
    if not found:
        raise NoBasisInForce(f"no legal basis for {concept!r} in force on {on.isoformat()}")
    return found[0]
