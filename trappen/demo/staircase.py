"""The demo's staircase history: legal bases, movements and exit plans from its episodes.

The generator creates episodes directly; this derives what the measures service would have
recorded for them: the legal basis in force on each start, a movement at every change of the
child's step, and an exit plan for most institution placements (some left missing, so the
warning shows).
"""

import contextlib
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from trappen.catalogue.models import LegalConcept
from trappen.core import legal
from trappen.core.staircase import EpisodeSpan, current_step
from trappen.measures.models import Episode, Movement, MovementReason
from trappen.rules.models import LegalBasis

INSTITUTION_TYPES = {"residential_institution", "socio_pedagogical", "secure_institution"}


def _reason(rng: random.Random, old: int | None, new: int | None) -> str:
    if old is None or new is None:
        return ""
    if new < old:
        return rng.choice(
            [MovementReason.NEEDS_CHANGED, MovementReason.SHORT_TERM, MovementReason.CHILD_WISH]
        )
    return rng.choice([MovementReason.NEEDS_CHANGED, MovementReason.PLACEMENT_FAILED])


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 17 + 3)
    bases = list(LegalBasis.objects.all())
    core_bases = {b.as_core(): b for b in bases}
    episodes = list(
        Episode.objects.select_related("intervention", "case").order_by("child_id", "start_on")
    )
    by_child: dict[int, list[Episode]] = defaultdict(list)
    changed = []
    for episode in episodes:
        by_child[episode.child_id].append(episode)
        concept = episode.intervention.legal_concept
        if concept != LegalConcept.NONE:
            with contextlib.suppress(legal.NoBasisInForce):
                episode.legal_basis = core_bases[
                    legal.basis_in_force(core_bases, concept, episode.start_on)
                ]
        if episode.intervention.placement_type in INSTITUTION_TYPES and rng.random() < 0.85:
            episode.planned_discharge_on = episode.start_on + timedelta(days=rng.randint(60, 270))
            episode.intended_next_step = rng.choice([2, 3, 4])
        changed.append(episode)
    Episode.objects.bulk_update(
        changed, ["legal_basis", "planned_discharge_on", "intended_next_step"], batch_size=2000
    )
    movements = []
    for child_episodes in by_child.values():
        spans = [EpisodeSpan(e.intervention.step_id, e.start_on, e.end_on) for e in child_episodes]
        days = sorted(
            {e.start_on for e in child_episodes} | {e.end_on for e in child_episodes if e.end_on}
        )
        previous: int | None = None
        for day in days:
            if day > today:
                break
            step = current_step(spans, day)
            if step != previous:
                case = next(
                    (e.case for e in reversed(child_episodes) if e.start_on <= day),
                    child_episodes[0].case,
                )
                movements.append(
                    Movement(
                        child_id=case.child_id,
                        case=case,
                        from_step=previous,
                        to_step=step,
                        moved_on=day,
                        reason=_reason(rng, previous, step),
                        recorded_by=case.caseworker,
                    )
                )
                previous = step
    Movement.objects.bulk_create(movements, batch_size=2000)
    down = sum(
        1
        for m in movements
        if m.from_step is not None and m.to_step is not None and m.to_step < m.from_step
    )
    log(f"  Staircase: {len(movements)} movements ({down} down a step), legal bases set")
