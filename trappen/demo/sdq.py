"""The demo's SDQs (F9 point 7): most children in care get a parent's and a teacher's SDQ when
their first measure starts and then every year while they are in care, and their own from 11
to 17 (docs/wellbeing.md).

The answers are drawn to a child's "level" of difficulties, which starts high (children in
care) and falls a little each year: clearly in the pilot districts, hardly in the others, so
that the steering's before/after and difference-in-differences show a difference between the
groups. The teacher sees a little less than the parent. Deterministic: its own random stream
per seed, children and episodes walked by primary key.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from trappen.core import sdq, sdq_record
from trappen.measures.models import Episode
from trappen.wellbeing.models import SdqMeasurement

COVERED = 0.85  # the share of children in care the demo measures
MISSING_ITEM = 0.02  # an item left unanswered
YEAR = timedelta(days=365)
# Mean change of total difficulties per year in care, by group; and the spread.
CHANGE_PER_YEAR = {True: -2.0, False: -0.4}
SPREAD = 2.5
RESPONDENTS = {
    "parent": ["Mor", "Far", "Plejemor", "Plejefar"],
    "teacher": ["Klasselærer", "Pædagog", "Kontaktlærer"],
    "self": ["Barnet selv"],
}


def _answers(rng: random.Random, level: float) -> list[int | None]:
    """25 answers whose total difficulties is about `level` (0-40)."""
    p = min(max(level / 40, 0.02), 0.98)
    answers: list[int | None] = []
    for item in range(1, sdq.ITEM_COUNT + 1):
        if rng.random() < MISSING_ITEM:
            answers.append(None)
            continue
        if item in sdq.SUBSCALE_ITEMS[sdq.Scale.PROSOCIAL]:
            points = sum(rng.random() < 0.65 for _ in range(2))
        else:
            points = sum(rng.random() < p for _ in range(2))
        answers.append(2 - points if item in sdq.REVERSED_ITEMS else points)
    return answers


def _impact(rng: random.Random, informant: str, level: float) -> dict[str, int] | None:
    if rng.random() < 0.4:
        return None
    if level < 10 and rng.random() < 0.5:
        return {"difficulties": 0}
    names = sdq.IMPACT_ITEMS[sdq.Informant(informant)]
    high = min(3, max(0, round(level / 10)))
    return {"difficulties": rng.randint(1, 3), **{n: rng.randint(0, high) for n in names}}


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 71 + 9)
    spans: dict[int, list[Episode]] = defaultdict(list)
    for episode in Episode.objects.select_related(
        "child__district__group", "case__caseworker"
    ).order_by("pk"):
        spans[episode.child_id].append(episode)
    versions = sdq_record.default_versions()
    made: list[SdqMeasurement] = []
    for _child_id, episodes in sorted(spans.items()):
        if rng.random() >= COVERED:
            continue
        first = episodes[0]
        child = first.child
        pilot = child.district.group.name.casefold().startswith("pilot")
        start = min(e.start_on for e in episodes)
        end = min(max(e.end_on or today for e in episodes), today)
        level = rng.uniform(12, 22)
        trend = rng.gauss(CHANGE_PER_YEAR[pilot], SPREAD / 2)
        day = start
        years = 0
        while day <= end:
            case = next(
                (e.case for e in episodes if e.start_on <= day and (e.end_on or today) >= day),
                first.case,
            )
            for informant in ("parent", "teacher", "self"):
                low, high = versions.range_of(sdq.Informant(informant))
                if not low <= child.age_on(day) <= high:
                    continue
                if informant != "parent" and rng.random() < 0.1:
                    continue  # a questionnaire that did not come back
                own = level + years * trend + rng.gauss(0, SPREAD)
                own += {"parent": 0.0, "teacher": -1.5, "self": 1.0}[informant]
                on = min(day + timedelta(days=rng.randint(0, 20)), today)
                m = SdqMeasurement(
                    child=child,
                    case=case,
                    informant=informant,
                    measured_on=on,
                    respondent=rng.choice(RESPONDENTS[informant]),
                    answers=_answers(rng, max(0.0, own)),
                    impact_answers=_impact(rng, informant, own),
                    recorded_by=case.caseworker,
                    recorded_at=timezone.now(),
                )
                m.set_scores()
                made.append(m)
            day += YEAR
            years += 1
    # One per child, informant and day: a second draw on the same day is dropped.
    seen: set[tuple[int, str, date]] = set()
    unique = []
    for m in made:
        key = (m.child_id, m.informant, m.measured_on)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    SdqMeasurement.objects.bulk_create(unique, batch_size=1000)
    children = len({m.child_id for m in unique})
    log(f"  SDQ: {len(unique)} questionnaires for {children} children in care")
