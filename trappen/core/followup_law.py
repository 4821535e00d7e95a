"""The law's follow-up as pure rules: Barnets Lov § 95 and § 156, stk. 5 (LBK nr 282 af
17/03/2025).

§ 95, stk. 2: the first follow-up takes place at the earliest of (1) the end of an afdækning or
investigation made alongside a § 32, stk. 4, support or a § 46 / § 143 placement, and (2) three
months after the measure started. § 95, stk. 3: at the first follow-up the municipality decides
how the follow-up is to go on, with the child's wishes, and justifies it to child and parents.
So the law has no fixed rhythm after the first follow-up: the legal due dates after it follow
the recorded decision, and until one is recorded nothing later is due by law (the case shows
that the decision is missing).

§ 156, stk. 5: a placed child gets at least two supervision visits a year at the placement,
with a conversation with the child, without the placement's staff where possible.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trappen.core.cadence import Due, Interval, Kind, Repeat, Schedule, State
from trappen.core.deadlines import Unit, add_months


def first_follow_up_due(start: date, within: Interval, parallel_end: date | None) -> date:
    """§ 95, stk. 2: the earlier of `within` after `start` and the end of a parallel
    afdækning or investigation (one that ended on or after the start)."""
    latest = within.after(start)
    if parallel_end is not None and start <= parallel_end < latest:
        return parallel_end
    return latest


@dataclass(frozen=True)
class RhythmDecision:
    """The decision at the first follow-up on how the follow-up goes on (§ 95, stk. 3)."""

    decided_on: date
    every: Interval


def legal_schedule(
    base: Schedule,
    start: date,
    parallel_end: date | None,
    decision: RhythmDecision | None,
    *,
    rhythm_decided: bool,
) -> Schedule:
    """The legal schedule of one measure.

    `base` is the rule set's schedule (its first milestone the 3 months of § 95, stk. 2). With
    `rhythm_decided` (Barnets Lov), the repeats after the first follow-up are the recorded
    decision's rhythm, or none until a decision exists; otherwise (Serviceloven § 70) the
    base's own repeats apply.
    """
    if not base.milestones:
        return base
    first = first_follow_up_due(start, base.milestones[0], parallel_end)
    milestones = (Interval(max(1, (first - start).days), Unit.DAYS), *base.milestones[1:])
    repeats = base.repeats
    if rhythm_decided:
        repeats = (Repeat(decision.every),) if decision is not None else ()
    return Schedule(milestones, repeats, base.status_at, base.ends_after, base.reports_at)


@dataclass(frozen=True)
class VisitYear:
    """One placement year (or the placement's last, shorter part) and its visits."""

    start: date
    end: date  # inclusive: the day the year's visits are due by
    required: int
    visits: tuple[date, ...]

    def due(self, today: date) -> Due:
        if len(self.visits) >= self.required:
            return Due(self.end, State.MET, Kind.VISIT, self.visits[self.required - 1])
        return Due(self.end, State.OVERDUE if self.end < today else State.UPCOMING, Kind.VISIT)


def visit_years(
    start: date,
    end: date | None,
    visits: Sequence[date],
    today: date,
    per_year: int = 2,
) -> tuple[VisitYear, ...]:
    """§ 156, stk. 5: at least `per_year` visits in every placement year, counted from the
    placement's start, up to the year running today (or the placement's end).

    A last part of a year when the placement ended is pro rata: half the visits (at least one)
    for up to six months, all of them beyond (a reading; docs/rules.md).
    """
    held = sorted(v for v in visits if v >= start and (end is None or v <= end))
    years: list[VisitYear] = []
    year = 0
    while True:
        first = add_months(start, 12 * year)
        if first > today or (end is not None and first > end):
            break
        last = date.fromordinal(add_months(start, 12 * (year + 1)).toordinal() - 1)
        required = per_year
        if end is not None and end < last:
            last = end
            if add_months(first, 6) > end:
                required = max(1, per_year // 2)
        in_year = tuple(v for v in held if first <= v <= last)
        years.append(VisitYear(first, last, required, in_year))
        year += 1
    return tuple(years)
