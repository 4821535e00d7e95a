"""What a caseworker needs at a glance per case: where the child stands and what is due next."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from trappen.common.periods import active_on_q
from trappen.core.staircase import EpisodeSpan, current_step

from .models import Case, Child


def child_step(
    child: Child, on: date | None = None, episodes: Iterable[Any] | None = None
) -> int | None:
    """The child's current step: the highest step among the active episodes. `episodes`: the
    child's episodes (with their interventions) already read."""
    if episodes is None:
        episodes = child.episodes.select_related("intervention")
    spans = [EpisodeSpan(e.intervention.step_id, e.start_on, e.end_on) for e in episodes]
    return current_step(spans, on or timezone.localdate())


def with_current_step(cases: QuerySet[Case], on: date | None = None) -> QuerySet[Case]:
    """Annotate `current_step` in SQL, the same rule as core.staircase.current_step."""
    day = on or timezone.localdate()
    active = active_on_q(day, "child__episodes__")
    return cases.annotate(current_step=Max("child__episodes__intervention__step", filter=active))


@dataclass(frozen=True)
class Deadline:
    """One open deadline as the pages show it (trappen.casefile.deadlines labels the result of
    trappen.core.open_deadlines): `kind` its core.open_deadlines.Kind, `source` what it rests on."""

    due: datetime | date
    label: str
    kind: str = ""
    source: str = ""

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.due, datetime):
            return self.due
        return timezone.make_aware(datetime(self.due.year, self.due.month, self.due.day, 23, 59))

    def is_overdue(self) -> bool:
        return self.sort_key < timezone.now()
