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
from enum import StrEnum


class LegalConcept(StrEnum):
    """The kind of decision an offer in the catalogue rests on (the one declaration of the
    vocabulary; the catalogue and the legal bases give it labels)."""

    NONE = "none"  # a universal offer: no decision by the authority
    EARLY_PREVENTION = "early_prevention"
    SUPPORTING_MEASURE = "supporting_measure"
    URGENT_MEASURE = "urgent_measure"
    FINANCIAL_SUPPORT = "financial_support"
    PLACEMENT = "placement"
    AFTERCARE = "aftercare"


class CaseDecision(StrEnum):
    """The case flow's own decisions with a legal basis, beside the offers' concepts."""

    CHILD_INVESTIGATION = "child_investigation"
    CHILD_PLAN = "child_plan"
    FOLLOW_UP = "follow_up"
    NOTIFICATION = "notification"


# § 32 supporting measures (incl. those started alongside the investigation, § 32, stk. 4).
SUPPORT_CONCEPTS = frozenset({LegalConcept.SUPPORTING_MEASURE, LegalConcept.URGENT_MEASURE})
# Measures the law gives a child's plan (§ 91: § 32 support, §§ 46-47 placements); also the
# support that makes a new notification one for a genvurdering (§ 137, stk. 1).
PLAN_CONCEPTS = SUPPORT_CONCEPTS | {LegalConcept.PLACEMENT}


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
