"""The demo's follow-up history: follow-ups held by the model's rhythm, some late or missed.

Pilot districts keep the rhythm far better than the others, as in the evaluation; a handful of
recent follow-ups are missing so the due lists show overdue items. Deterministic per seed.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from trappen.cases.models import JournalEntry
from trappen.core.cadence import Schedule, plan
from trappen.followups.models import CadenceRuleSet, FollowUp, FollowUpException
from trappen.followups.schedule import Rules
from trappen.measures.models import Episode
from trappen.organisation.models import Profession, User

CONVERSATIONS = [
    "Barnet fortalte om skolen og vennerne; trives bedre end sidst.",
    "Samtale på værelset. Barnet savner sin mor, men glæder sig til weekenden.",
    "Kort samtale; barnet ville helst tale om fodbold. Virker tryg.",
    "Barnet er bekymret for flytningen og ønsker at blive i sin klasse.",
    "Barnet fortæller, at det går bedre hjemme, og at kontaktpersonen hjælper.",
]


def _held_dates(
    rng: random.Random, schedule: Schedule, start: date, end: date, today: date, on_time: float
) -> list[date]:
    held: list[date] = []
    for _ in range(80):
        upcoming = plan(schedule, start, held, today=end, end=end).next_due
        if upcoming is None or upcoming.due > end:
            break
        due = upcoming.due
        roll = rng.random()
        if roll < on_time:
            day = due - timedelta(days=rng.randint(0, 6))
        elif due > today - timedelta(days=45) and roll > 0.93:
            break  # recently missed: shows as overdue
        else:
            day = due + timedelta(days=rng.randint(3, 25))
        day = max(day, start + timedelta(days=1), held[-1] + timedelta(days=1) if held else start)
        if day > end:
            break
        held.append(day)
    return held


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 31 + 7)
    rules = Rules.load()
    episodes = (
        Episode.objects.exclude(intervention__cadence_category="none")
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today - timedelta(days=3 * 365)))
        .select_related("intervention", "case__caseworker", "child__district__group")
        .order_by("pk")
    )
    leaders = {u.team_id: u for u in User.objects.filter(profession=Profession.TEAM_LEADER)}
    follow_ups: list[FollowUp] = []
    notes: list[JournalEntry] = []
    exceptions: list[FollowUpException] = []
    for episode in episodes:
        rule_set = rules.in_force(CadenceRuleSet.Kind.MODEL, episode.start_on)
        schedule = (
            rules.schedule(rule_set, episode.intervention.cadence_category) if rule_set else None
        )
        if schedule is None:
            continue
        pilot = episode.child.district.group.name == "Pilot"
        end = min(episode.end_on or today, today)
        held = _held_dates(rng, schedule, episode.start_on, end, today, 0.85 if pilot else 0.5)
        for i, day in enumerate(held):
            conversation = rng.random() < (0.95 if pilot else 0.7)
            form = (
                "meeting" if conversation or rng.random() < 0.5 else rng.choice(["phone", "mail"])
            )
            follow_ups.append(
                FollowUp(
                    episode=episode,
                    case=episode.case,
                    held_on=day,
                    form=form,
                    child_conversation=conversation,
                    plan_review="changed" if rng.random() < 0.15 else "kept",
                    next_agreed_on=held[i + 1] if i + 1 < len(held) else None,
                    recorded_by=episode.case.caseworker,
                )
            )
            if conversation:
                note = JournalEntry(
                    case=episode.case,
                    author=episode.case.caseworker,
                    written_at=timezone.make_aware(datetime.combine(day, time(13, 0))),
                    heading=JournalEntry.Heading.CHILD_CONVERSATION,
                    text=rng.choice(CONVERSATIONS),
                )
                notes.append(note)
                follow_ups[-1].journal_entry = note
        long_foster = (
            episode.intervention.cadence_category == "foster_family"
            and episode.end_on is None
            and (today - episode.start_on).days > 365
        )
        leader = leaders.get(episode.case.team_id)
        if long_foster and leader and rng.random() < 0.5:
            exceptions.append(
                FollowUpException(
                    episode=episode,
                    kind=FollowUpException.Kind.CHILDHOOD_FOSTER,
                    reason="Forældreevnen er afdækket; hjemgivelse er udelukket. Barnet trives.",
                    approved_by=leader,
                    approved_on=episode.start_on + timedelta(days=300),
                )
            )
    JournalEntry.objects.bulk_create(notes, batch_size=2000)  # first: follow-ups point to them
    for follow_up in follow_ups:
        if follow_up.journal_entry is not None:
            follow_up.journal_entry_id = follow_up.journal_entry.pk
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    FollowUpException.objects.bulk_create(exceptions)
    log(
        f"  Follow-ups: {len(follow_ups)} held ({len(notes)} with a child conversation), "
        f"{len(exceptions)} approved exceptions"
    )
