"""Which follow-ups count, and the legal plan's inputs: the rules behind an episode's two plans.

The model's plan (Herning) needs a meeting with a child conversation (KORA 2017: "Der skal
foretages børnesamtale ved hver opfølgning"), except while a team leader's exception is active,
when a follow-up by phone or mail, with or without a conversation, counts.

The legal plan counts every follow-up, but for placements only visits (meetings) with a
conversation. Under Barnets Lov (LBK nr 282 af 17/03/2025) § 95 the first legal follow-up is
due at the earlier of the end of a parallel afdækning or investigation (stk. 2, nr. 1) and 3
months; the legal dates after it follow the rhythm decided and recorded at the first follow-up
(stk. 3); a placement also has its supervision visits at the placement, two a year (§ 156,
stk. 5).

Pure: the apps translate their rows into these values (`followups/schedule.py` for one
episode, `followups/due_columns.py` for many) and plan with `core.cadence`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from trappen.core.cadence import Due, Schedule
from trappen.core.cadence_rules import RuleError, parse_interval
from trappen.core.followup_law import RhythmDecision, legal_schedule, visit_years


@dataclass(frozen=True)
class HeldFollowUp:
    """A follow-up held, as the rules read it."""

    held_on: date
    full: bool  # a meeting with a child conversation
    supervision_visit: bool = False  # § 156, stk. 5: at the placement, the child spoken with
    rhythm: str = ""  # § 95, stk. 3: the rhythm decided at it ("3m"), if any


@dataclass(frozen=True)
class ExceptionSpan:
    """A team leader's exception from the model's extra follow-ups: active from its approval
    up to, not including, its withdrawal."""

    approved_on: date
    withdrawn_on: date | None = None

    def active_on(self, day: date) -> bool:
        return exception_active(self.approved_on, self.withdrawn_on, day)


def exception_active(approved_on: date, withdrawn_on: date | None, day: date) -> bool:
    return approved_on <= day and (withdrawn_on is None or day < withdrawn_on)


@dataclass(frozen=True)
class InvestigationSpan:
    """A screening, afdækning or child investigation of the episode's case."""

    tier: str
    started_on: date
    completed_on: date | None


@dataclass(frozen=True)
class LegalTerms:
    """The legal rule set's terms beyond its schedule."""

    rhythm_decided_at_first_follow_up: bool = False
    first_due_at_parallel_investigation_end: bool = False
    placement_visits_per_year: int = 0


@dataclass(frozen=True)
class LegalInputs:
    """What the legal plan of one episode is computed from."""

    schedule: Schedule
    held: tuple[date, ...]  # the follow-ups that count for the law
    rhythm_missing: bool  # § 95, stk. 3: the first follow-up held, no rhythm decided
    visits: tuple[Due, ...] | None  # the § 156, stk. 5 visit years' points (None: not asked)


def model_counts(follow_up: HeldFollowUp, exceptions: Iterable[ExceptionSpan]) -> bool:
    """Whether a follow-up meets a point of the model's plan."""
    excepted = any(e.active_on(follow_up.held_on) for e in exceptions)
    return follow_up.full or excepted


def legal_counts(follow_up: HeldFollowUp, *, placement: bool) -> bool:
    """Whether a follow-up meets a point of the legal plan (placements: only full visits)."""
    return follow_up.full or not placement


def model_dates(
    held: Iterable[HeldFollowUp], exceptions: Sequence[ExceptionSpan]
) -> tuple[date, ...]:
    if not exceptions:  # most episodes; the lists plan hundreds at once
        return tuple(f.held_on for f in held if f.full)
    return tuple(f.held_on for f in held if model_counts(f, exceptions))


def parallel_investigation_end(
    start_on: date, investigations: Iterable[InvestigationSpan]
) -> date | None:
    """The end of an afdækning or investigation running when the measure started (§ 95,
    stk. 2, nr. 1); a screening is neither."""
    ends = [
        i.completed_on
        for i in investigations
        if i.completed_on and i.tier != "screening" and i.started_on <= start_on <= i.completed_on
    ]
    return min(ends) if ends else None


def rhythm_decision(follow_ups: Iterable[HeldFollowUp]) -> RhythmDecision | None:
    """The rhythm decided at the first follow-up that recorded one (§ 95, stk. 3); None
    when none did, or the first one recorded cannot be read."""
    for f in sorted(follow_ups, key=lambda f: f.held_on):
        if f.rhythm:
            try:
                return RhythmDecision(f.held_on, parse_interval(f.rhythm))
            except RuleError:
                return None
    return None


def legal_inputs(
    base: Schedule,
    terms: LegalTerms,
    *,
    start_on: date,
    end_on: date | None,
    held: Sequence[HeldFollowUp],
    investigations: Iterable[InvestigationSpan],
    placement: bool,
    today: date,
) -> LegalInputs:
    """The legal plan's schedule (§ 95, stk. 2 and 3), the follow-ups it counts, whether the
    rhythm decision is missing, and the supervision visits' points (§ 156, stk. 5)."""
    dates = tuple(f.held_on for f in held if legal_counts(f, placement=placement))
    decision = rhythm_decision(held) if terms.rhythm_decided_at_first_follow_up else None
    parallel_end = (
        parallel_investigation_end(start_on, investigations)
        if terms.first_due_at_parallel_investigation_end
        else None
    )
    schedule = legal_schedule(
        base,
        start_on,
        parallel_end,
        decision,
        rhythm_decided=terms.rhythm_decided_at_first_follow_up,
    )
    rhythm_missing = terms.rhythm_decided_at_first_follow_up and decision is None and bool(dates)
    visits: tuple[Due, ...] | None = None
    if placement and terms.placement_visits_per_year:
        years = visit_years(
            start_on,
            end_on,
            [f.held_on for f in held if f.supervision_visit],
            today,
            terms.placement_visits_per_year,
        )
        visits = tuple(y.due(today) for y in years)
    return LegalInputs(schedule, dates, rhythm_missing, visits)
