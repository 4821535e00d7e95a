"""An episode's follow-up plans: the model's rhythm and the legal minimum, side by side.

Translates database rows into core.cadence inputs. Which follow-ups count:
- the model's plan needs a meeting with a child conversation (seed 002: "Der skal foretages
  børnesamtale ved hver opfølgning"), except while a team leader's exception is active, when a
  follow-up by phone or mail, with or without a conversation, counts;
- the legal plan counts every follow-up, but for placements only visits (meetings) with a
  conversation (Barnets Lov § 156, stk. 5).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from trappen.catalogue.models import CadenceCategory
from trappen.core.cadence import Interval, Plan, Schedule, plan
from trappen.core.deadlines import Unit
from trappen.measures.models import Episode

from .models import ALL_CATEGORIES, CadenceRule, CadenceRuleSet, FollowUp


@dataclass(frozen=True)
class EpisodePlans:
    episode: Episode
    model: Plan | None
    legal: Plan | None

    @property
    def next_due(self) -> date | None:
        dues = [p.next_due.due for p in (self.model, self.legal) if p and p.next_due]
        return min(dues) if dues else None

    @property
    def behind_model(self) -> bool:
        return bool(self.model and self.model.overdue)

    @property
    def behind_law(self) -> bool:
        return bool(self.legal and self.legal.overdue)


class Rules:
    """The rule sets, read once per request or command (they are few; edits apply at once)."""

    def __init__(self, rule_sets: list[CadenceRuleSet]) -> None:
        self.rule_sets = rule_sets
        self._schedules: dict[tuple[int, str], Schedule | None] = {}

    @classmethod
    def load(cls) -> "Rules":
        return cls(list(CadenceRuleSet.objects.prefetch_related("rules")))

    def in_force(self, kind: str, on: date) -> CadenceRuleSet | None:
        matching = [s for s in self.rule_sets if s.kind == kind and s.in_force(on)]
        return max(matching, key=lambda s: s.valid_from) if matching else None

    def by_key(self, key: str) -> CadenceRuleSet | None:
        return next((s for s in self.rule_sets if s.key == key), None)

    def schedule(self, rule_set: CadenceRuleSet, category: str) -> Schedule | None:
        cache_key = (rule_set.pk, category)
        if cache_key not in self._schedules:
            rules: dict[str, CadenceRule] = {r.category: r for r in rule_set.rules.all()}
            rule = rules.get(category) or rules.get(ALL_CATEGORIES)
            self._schedules[cache_key] = rule.as_schedule() if rule else None
        return self._schedules[cache_key]


def _first_due_earlier(schedule: Schedule, start: date, first: date) -> Schedule:
    """The law's first follow-up moves forward to the end of a parallel investigation."""
    if not schedule.milestones or first >= schedule.milestones[0].after(start):
        return schedule
    days = max(1, (first - start).days)
    return Schedule(
        (Interval(days, Unit.DAYS), *schedule.milestones[1:]),
        schedule.repeats,
        schedule.status_at,
        schedule.ends_after,
    )


def _parallel_investigation_end(episode: Episode) -> date | None:
    ends = [
        i.completed_on
        for i in episode.case.investigations.all()
        if i.completed_on and i.started_on <= episode.start_on <= i.completed_on
    ]
    return min(ends) if ends else None


def plans_for(
    episode: Episode, today: date, rules: Rules, follow_ups: list[FollowUp] | None = None
) -> EpisodePlans:
    category = episode.intervention.cadence_category
    if category == CadenceCategory.NONE:
        return EpisodePlans(episode, None, None)
    held = follow_ups if follow_ups is not None else list(episode.follow_ups.all())
    exceptions = list(episode.exceptions.all())
    is_placement = bool(episode.intervention.placement_type)

    def counted(f: FollowUp, *, legal: bool) -> bool:
        if legal:
            return f.counts_for(full_only=is_placement)
        excepted = any(e.active_on(f.held_on) for e in exceptions)
        return f.counts_for(full_only=not excepted)

    out: dict[str, Plan | None] = {}
    for kind in (CadenceRuleSet.Kind.MODEL, CadenceRuleSet.Kind.LEGAL):
        rule_set = rules.in_force(kind, episode.start_on)
        schedule = rules.schedule(rule_set, category) if rule_set else None
        if schedule is None or rule_set is None:
            out[kind] = None
            continue
        if rule_set.first_due_at_parallel_investigation_end:
            parallel_end = _parallel_investigation_end(episode)
            if parallel_end:
                schedule = _first_due_earlier(schedule, episode.start_on, parallel_end)
        dates = [f.held_on for f in held if counted(f, legal=kind == CadenceRuleSet.Kind.LEGAL)]
        out[kind] = plan(schedule, episode.start_on, dates, today, episode.end_on)
    return EpisodePlans(episode, out[CadenceRuleSet.Kind.MODEL], out[CadenceRuleSet.Kind.LEGAL])


def upcoming_window(today: date, days: int = 14) -> date:
    return today + timedelta(days=days)
