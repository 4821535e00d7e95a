"""An episode's follow-up plans: the model's rhythm and the legal minimum, side by side.

Translates database rows into core.cadence inputs. Which follow-ups count:
- the model's plan needs a meeting with a child conversation (KORA 2017: "Der skal foretages
  børnesamtale ved hver opfølgning"), except while a team leader's exception is active, when a
  follow-up by phone or mail, with or without a conversation, counts;
- the legal plan counts every follow-up, but for placements only visits (meetings) with a
  conversation. Under Barnets Lov (§ 95) the first legal follow-up is due at the earlier of the
  end of a parallel afdækning or investigation and 3 months; the legal dates after it follow
  the rhythm decided and recorded at the first follow-up (§ 95, stk. 3); a placement also has
  its supervision visits at the placement, two a year (§ 156, stk. 5). Only measures whose
  legal concept has a follow-up duty (§ 95, stk. 1) get a legal plan.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from trappen.catalogue.models import CadenceCategory
from trappen.core.cadence import Plan, Schedule, plan
from trappen.core.cadence_rules import RuleError, parse_interval
from trappen.core.followup_law import RhythmDecision, legal_schedule, visit_years
from trappen.measures.models import Episode

from .models import ALL_CATEGORIES, CadenceRule, CadenceRuleSet, FollowUp


@dataclass(frozen=True)
class EpisodePlans:
    episode: Episode
    model: Plan | None
    legal: Plan | None
    rhythm_missing: bool = False

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

    @property
    def rhythm_decision_missing(self) -> bool:
        """§ 95, stk. 3: the first legal follow-up is held but no rhythm was decided at it."""
        return self.rhythm_missing


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


def _parallel_investigation_end(episode: Episode) -> date | None:
    """The end of an afdækning or investigation running when the measure started (§ 95,
    stk. 2, nr. 1); a screening is neither."""
    ends = [
        i.completed_on
        for i in episode.case.investigations.all()
        if i.completed_on
        and i.tier != "screening"
        and i.started_on <= episode.start_on <= i.completed_on
    ]
    return min(ends) if ends else None


def rhythm_decision(follow_ups: list[FollowUp]) -> RhythmDecision | None:
    """The rhythm decided at the first follow-up that recorded one (§ 95, stk. 3)."""
    for f in sorted(follow_ups, key=lambda f: f.held_on):
        if f.rhythm:
            try:
                return RhythmDecision(f.held_on, parse_interval(f.rhythm))
            except RuleError:
                return None
    return None


def needs_rhythm_decision(episode: Episode, rules: Rules) -> bool:
    """Whether the law in force at the start asks for the rhythm decision (§ 95, stk. 3) and
    none is recorded for the measure yet."""
    rule_set = rules.in_force(CadenceRuleSet.Kind.LEGAL, episode.start_on)
    return bool(
        rule_set
        and rule_set.rhythm_decided_at_first_follow_up
        and rule_set.covers(episode.intervention.legal_concept)
        and episode.intervention.cadence_category != CadenceCategory.NONE
        and not episode.follow_ups.exclude(rhythm="").exists()
    )


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
    rhythm_missing = False
    for kind in (CadenceRuleSet.Kind.MODEL, CadenceRuleSet.Kind.LEGAL):
        rule_set = rules.in_force(kind, episode.start_on)
        schedule = rules.schedule(rule_set, category) if rule_set else None
        legal = kind == CadenceRuleSet.Kind.LEGAL
        if schedule is None or rule_set is None:
            out[kind] = None
            continue
        if legal and not rule_set.covers(episode.intervention.legal_concept):
            out[kind] = None  # no follow-up duty by law (e.g. § 30 early prevention)
            continue
        dates = [f.held_on for f in held if counted(f, legal=legal)]
        if legal:
            decision = rhythm_decision(held) if rule_set.rhythm_decided_at_first_follow_up else None
            parallel_end = (
                _parallel_investigation_end(episode)
                if rule_set.first_due_at_parallel_investigation_end
                else None
            )
            schedule = legal_schedule(
                schedule,
                episode.start_on,
                parallel_end,
                decision,
                rhythm_decided=rule_set.rhythm_decided_at_first_follow_up,
            )
            rhythm_missing = (
                rule_set.rhythm_decided_at_first_follow_up and decision is None and bool(dates)
            )
        reports = [r.received_on for r in episode.reports.all()] if schedule.reports_at else []
        found = plan(schedule, episode.start_on, dates, today, episode.end_on, reports=reports)
        if legal and is_placement and rule_set.placement_visits_per_year:
            visits = [f.held_on for f in held if f.is_supervision_visit]
            years = visit_years(
                episode.start_on, episode.end_on, visits, today, rule_set.placement_visits_per_year
            )
            found = Plan(
                tuple(sorted((*found.dues, *(y.due(today) for y in years)), key=lambda d: d.due))
            )
        out[kind] = found
    return EpisodePlans(
        episode, out[CadenceRuleSet.Kind.MODEL], out[CadenceRuleSet.Kind.LEGAL], rhythm_missing
    )


def upcoming_window(today: date, days: int = 14) -> date:
    return today + timedelta(days=days)
