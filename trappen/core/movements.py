"""Movements on the staircase: how starting or ending a measure moves the child.

The child stands on the highest step among its active measures (`staircase.current_step`); a
measure that starts or ends can change it. A move between two steps is recorded with its reason
(KORA 2017); entering or leaving the staircase is a change, but not a move between steps.
Pure: `measures/services.py` reads the child's other episodes and records the changes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trappen.core.staircase import EpisodeSpan, current_step


@dataclass(frozen=True)
class StepChange:
    """The child's highest active step changes on `on` (None: no active measure)."""

    on: date
    from_step: int | None
    to_step: int | None

    @property
    def between_steps(self) -> bool:
        """A move from one step to another; entering or leaving the staircase is not."""
        return self.from_step is not None and self.to_step is not None


def change_on(
    on: date, before: Sequence[EpisodeSpan], after: Sequence[EpisodeSpan]
) -> list[StepChange]:
    """The change on `on` from the episodes `before` to the episodes `after` (none or one)."""
    old, new = current_step(before, on), current_step(after, on)
    return [] if old == new else [StepChange(on, old, new)]


def changes_on_start(
    others: Sequence[EpisodeSpan], step: int, start_on: date, end_on: date | None
) -> list[StepChange]:
    """How a new episode moves the child among its `others`: on its start day and, if it has
    one, its end day."""
    if end_on is not None and end_on <= start_on:
        return []  # never active: the child does not move
    running = EpisodeSpan(step, start_on, None)
    changes = change_on(start_on, others, [*others, running])
    if end_on is not None:
        changes += change_on(
            end_on, [*others, running], [*others, EpisodeSpan(step, start_on, end_on)]
        )
    return changes


def changes_on_end(
    others: Sequence[EpisodeSpan], step: int, start_on: date, end_on: date
) -> list[StepChange]:
    """How ending a running episode on `end_on` moves the child among its `others`."""
    running = EpisodeSpan(step, start_on, None)
    ended = EpisodeSpan(step, start_on, end_on)
    return change_on(end_on, [*others, running], [*others, ended])


def first_move_between_steps(changes: Sequence[StepChange]) -> StepChange | None:
    """The first change that needs a reason (a move from one step to another)."""
    return next((c for c in changes if c.between_steps), None)
