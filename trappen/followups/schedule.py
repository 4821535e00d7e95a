"""An episode's follow-up plans: the model's rhythm and the legal minimum, side by side.

The ORM-facing adapter of `core.followup_schedule` (which follow-ups count for which plan, the
legal plan of Barnets Lov § 95 and § 156, stk. 5): it reads the rule sets in force and the
episode's rows, translates them into the core's values (`plan_setups()`, shared with
`due_columns.py`) and plans with `core.cadence.plan()`. Only measures whose legal concept has a
follow-up duty (§ 95, stk. 1) get a legal plan.
"""

from dataclasses import dataclass
from datetime import date

from trappen.catalogue.models import CadenceCategory
from trappen.core.cadence import Due, Plan, Schedule, plan
from trappen.core.followup_schedule import (
    ExceptionSpan,
    HeldFollowUp,
    InvestigationSpan,
    LegalTerms,
    legal_inputs,
    model_dates,
)
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


# The columns of a rule read with its rule set (its rule_set_id is the set's id).
_RULE_LOOKUPS = ("id", "category", "schedule")


class Rules:
    """The rule sets, read once per request or command (they are few; edits apply at once)."""

    def __init__(
        self,
        rule_sets: list[CadenceRuleSet],
        rules: dict[int, list[CadenceRule]] | None = None,
    ) -> None:
        self.rule_sets = rule_sets
        self._rules = rules  # per rule set, when read with them (`load`)
        self._schedules: dict[tuple[int, str], Schedule | None] = {}

    @classmethod
    def load(cls) -> "Rules":
        """Every rule set with its rules in one query (a LEFT JOIN, so a set without rules is
        read too)."""
        set_fields = [f.attname for f in CadenceRuleSet._meta.concrete_fields]
        rule_fields = [f.attname for f in CadenceRule._meta.concrete_fields]
        rows = CadenceRuleSet.objects.order_by("kind", "valid_from", "pk", "rules__pk")
        values = rows.values_list(*set_fields, *(f"rules__{f}" for f in _RULE_LOOKUPS))
        db = rows.db
        sets: dict[int, CadenceRuleSet] = {}
        rules: dict[int, list[CadenceRule]] = {}
        for row in values:
            head, tail = row[: len(set_fields)], row[len(set_fields) :]
            rule_set = sets.get(head[0])
            if rule_set is None:
                rule_set = sets[head[0]] = CadenceRuleSet.from_db(db, set_fields, head)
                rules[rule_set.pk] = []
            if tail[0] is not None:
                rule = dict(zip(_RULE_LOOKUPS, tail, strict=True), rule_set_id=rule_set.pk)
                values_in_order = [rule[f] for f in rule_fields]
                rules[rule_set.pk].append(CadenceRule.from_db(db, rule_fields, values_in_order))
        return cls(list(sets.values()), rules)

    def in_force(self, kind: str, on: date) -> CadenceRuleSet | None:
        matching = [s for s in self.rule_sets if s.kind == kind and s.in_force(on)]
        return max(matching, key=lambda s: s.valid_from) if matching else None

    def by_key(self, key: str) -> CadenceRuleSet | None:
        return next((s for s in self.rule_sets if s.key == key), None)

    def schedule(self, rule_set: CadenceRuleSet, category: str) -> Schedule | None:
        cache_key = (rule_set.pk, category)
        if cache_key not in self._schedules:
            read = self._rules.get(rule_set.pk) if self._rules is not None else None
            if read is None:  # a rule set not read with its rules
                read = list(rule_set.rules.all())
            rules: dict[str, CadenceRule] = {r.category: r for r in read}
            rule = rules.get(category) or rules.get(ALL_CATEGORIES)
            self._schedules[cache_key] = rule.as_schedule() if rule else None
        return self._schedules[cache_key]


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


@dataclass(frozen=True)
class PlanSetup:
    """One plan of an episode, ready to compute: its schedule and the dates it counts."""

    legal: bool
    schedule: Schedule
    held: tuple[date, ...]  # the follow-ups this plan counts
    reports: tuple[date, ...]  # the provider's reports, when the schedule asks for them
    visits: tuple[Due, ...] | None = None  # the legal plan's § 156, stk. 5 points


def held_follow_up(follow_up: FollowUp) -> HeldFollowUp:
    return HeldFollowUp(
        follow_up.held_on,
        follow_up.counts_for(full_only=True),
        follow_up.is_supervision_visit,
        follow_up.rhythm,
    )


# The columns of a follow-up that `held_from_values()` reads, in its order.
HELD_FIELDS = ("held_on", "form", "child_conversation", "at_placement", "rhythm")


def held_from_values(
    held_on: date, form: str, child_conversation: bool, at_placement: bool, rhythm: str
) -> HeldFollowUp:
    """`held_follow_up()` of a follow-up read as a row of `HELD_FIELDS` (the due lists read
    tuples, not model instances): the rules of `FollowUp.counts_for(full_only=True)` and
    `FollowUp.is_supervision_visit` (tests/followups/test_list_rows.py holds them equal)."""
    full = form == FollowUp.Form.MEETING and child_conversation
    return HeldFollowUp(held_on, full, bool(at_placement and full), rhythm)


@dataclass(frozen=True)
class EpisodeRows:
    """An episode's rows as `plan_setups()` reads them, already translated (the due lists
    read them as tuples for many episodes at once; see `duelist.summary_rows()`)."""

    held: list[HeldFollowUp]  # in the order held
    exceptions: list[ExceptionSpan]
    reports: tuple[date, ...]
    investigations: list[InvestigationSpan]  # the case's


def plan_setups(
    episode: Episode,
    today: date,
    rules: Rules,
    follow_ups: list[FollowUp],
    given: EpisodeRows | None = None,
    leave_out: int | None = None,
) -> tuple[list[PlanSetup], bool]:
    """The model's and the legal plan of one episode (each when a rule set in force at the
    start has a schedule for it), and whether the § 95, stk. 3 rhythm decision is missing.

    The one place that reads an episode's rows into `core.followup_schedule`: `plans_for()`
    and `due_columns.summaries()` both plan from it. With `given`, the rows come from it
    (and `follow_ups` is not read); else from `follow_ups` and the episode's relations.
    `leave_out`: an exception's pk planned as if it had never been approved (what it changed,
    `rhythm_change.py`)."""
    category = episode.intervention.cadence_category
    held = given.held if given is not None else [held_follow_up(f) for f in follow_ups]
    setups: list[PlanSetup] = []
    rhythm_missing = False
    for kind in (CadenceRuleSet.Kind.MODEL, CadenceRuleSet.Kind.LEGAL):
        rule_set = rules.in_force(kind, episode.start_on)
        schedule = rules.schedule(rule_set, category) if rule_set else None
        if schedule is None or rule_set is None:
            continue
        legal = kind == CadenceRuleSet.Kind.LEGAL
        visits = None
        if not legal:
            exceptions = (
                given.exceptions
                if given is not None
                else [
                    ExceptionSpan(e.approved_on, e.withdrawn_on)
                    for e in episode.exceptions.all()
                    if e.pk != leave_out
                ]
            )
            dates = model_dates(held, exceptions)
        elif not rule_set.covers(episode.intervention.legal_concept):
            continue  # no follow-up duty by law (e.g. § 30 early prevention)
        else:
            found = legal_inputs(
                schedule,
                LegalTerms(
                    rule_set.rhythm_decided_at_first_follow_up,
                    rule_set.first_due_at_parallel_investigation_end,
                    rule_set.placement_visits_per_year,
                ),
                start_on=episode.start_on,
                end_on=episode.end_on,
                held=held,
                investigations=(
                    []
                    if not rule_set.first_due_at_parallel_investigation_end
                    else given.investigations
                    if given is not None
                    else [
                        InvestigationSpan(i.tier, i.started_on, i.completed_on)
                        for i in episode.case.investigations.all()
                    ]
                ),
                placement=bool(episode.intervention.placement_type),
                today=today,
            )
            schedule, dates, visits = found.schedule, found.held, found.visits
            rhythm_missing = found.rhythm_missing
        reports: tuple[date, ...] = ()
        if schedule.reports_at:
            reports = (
                given.reports
                if given is not None
                else tuple(r.received_on for r in episode.reports.all())
            )
        setups.append(PlanSetup(legal, schedule, dates, reports, visits))
    return setups, rhythm_missing


def plans_for(
    episode: Episode,
    today: date,
    rules: Rules,
    follow_ups: list[FollowUp] | None = None,
    leave_out: int | None = None,
) -> EpisodePlans:
    if episode.intervention.cadence_category == CadenceCategory.NONE:
        return EpisodePlans(episode, None, None)
    held = follow_ups if follow_ups is not None else list(episode.follow_ups.all())
    setups, rhythm_missing = plan_setups(episode, today, rules, held, leave_out=leave_out)
    out: dict[bool, Plan] = {}
    for setup in setups:
        found = plan(
            setup.schedule,
            episode.start_on,
            setup.held,
            today,
            episode.end_on,
            reports=setup.reports,
        )
        if setup.visits is not None:
            found = Plan(tuple(sorted((*found.dues, *setup.visits), key=lambda d: d.due)))
        out[setup.legal] = found
    return EpisodePlans(episode, out.get(False), out.get(True), rhythm_missing)
