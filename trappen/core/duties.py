"""Dated duties of Barnets Lov (LBK nr 282 af 17/03/2025) as pure rules.

- § 20, stk. 3: the child investigation is completed within 4 months of the day the
  municipality *became aware* that the child may need special support; if it exceptionally
  cannot be, a foreløbig vurdering is made and the investigation completed soon after.
- § 91, stk. 1-2: barnets plan within 3 months of the decision; for a placement without
  consent (§ 47) before the decision.
- § 137, stk. 1: a notification about a child who already has a § 32 support or a § 46, § 47
  or § 67 placement is reassessed (genvurdering) with someone not involved in the case before.
- The receipt to a professional notifier within 6 working days (Serviceloven § 155 b, stk. 1;
  from 2024 read as Barnets Lov § 138, not verified against its text: docs/law.md).

The amounts (4 months, 3 months, 6 working days) are rule rows (core/data/deadlines.json);
these functions take the computed deadline or the rule's result, and decide what is due.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


def awareness_date(notified: Iterable[date], fallback: date) -> date:
    """The day the municipality became aware: the first notification or request about the
    child, or `fallback` (the case's opening) when there is none before it."""
    return min([*notified, fallback])


@dataclass(frozen=True)
class InvestigationClock:
    """The § 20, stk. 3, clock of one børnefaglig undersøgelse."""

    aware_on: date
    deadline: date
    completed_on: date | None
    preliminary_on: date | None  # the foreløbig vurdering

    def preliminary_due(self, today: date) -> bool:
        """Past the deadline, not completed by it, and no foreløbig vurdering yet: red."""
        finished_in_time = self.completed_on is not None and self.completed_on <= self.deadline
        return today > self.deadline and not finished_in_time and self.preliminary_on is None

    def is_late(self, today: date) -> bool:
        """Not completed by the deadline (whether or not a foreløbig vurdering exists)."""
        done = self.completed_on
        return (done is None and today > self.deadline) or (
            done is not None and done > self.deadline
        )


def plan_due(decided_on: date, three_months_later: date, *, without_consent: bool) -> date:
    """§ 91: barnets plan is due 3 months after the decision; before a § 47 decision."""
    return decided_on if without_consent else three_months_later


def plan_missing(plan_made_on: date | None, due: date, today: date) -> bool:
    """The warning "measure without a plan": no plan by the due date (or none made before a
    § 47 decision, whose due date is the decision itself)."""
    return (plan_made_on is None and today > due) or (
        plan_made_on is not None and plan_made_on > due
    )


def needs_reassessment(received_on: date, supported: Iterable[tuple[date, date | None]]) -> bool:
    """§ 137, stk. 1: the notification arrived while a § 32 support or a placement was active
    (each given as start and end, the end exclusive)."""
    return any(
        start <= received_on and (end is None or received_on < end) for start, end in supported
    )


def may_reassess(person: int, involved: Iterable[int]) -> bool:
    """§ 137, stk. 1: the genvurdering needs someone who has not taken part in the case."""
    return person not in set(involved)
