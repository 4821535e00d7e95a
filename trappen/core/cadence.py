"""The follow-up cadence engine: due dates, what is overdue, and compliance.

A schedule is data (see F2's cadence rule files): fixed milestones counted from the episode's
start (e.g. 2 weeks), then a rolling repeat counted from the follow-up actually held (e.g. every
6 weeks), which may change after a while (every 6 weeks the first year, then every 3 months),
optional status points, status reports the provider sends (the family centre's at 8 months),
and an optional end (MST ends at 5 months).

Follow-ups are matched to due points in order. A due point is *met* by the latest follow-up held
on or before it (early counts), *late* when the first follow-up after the previous point came after
it, *overdue* when it has passed with none held, *upcoming* otherwise. A repeat is counted from
the follow-up that met the previous point; an overdue repeat stops the schedule there, because
the next date cannot be planned before the missed follow-up is held.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from trappen.core.deadlines import Unit, add_months


@dataclass(frozen=True, order=True)
class Interval:
    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("an interval must be positive")
        if self.unit is Unit.HOURS:
            raise ValueError("follow-up intervals are in days, weeks or months")

    def after(self, day: date) -> date:
        if self.unit is Unit.MONTHS:
            return add_months(day, self.amount)
        days = self.amount * (7 if self.unit is Unit.WEEKS else 1)
        return date.fromordinal(day.toordinal() + days)

    def max_days(self) -> int:
        """The longest this interval can be, in days (a month is at most 31 days)."""
        per = {Unit.DAYS: 1, Unit.WEEKS: 7, Unit.MONTHS: 31}[self.unit]
        return self.amount * per


@dataclass(frozen=True)
class Repeat:
    every: Interval
    until: Interval | None = None  # counted from the start; None: for the rest of the episode


@dataclass(frozen=True)
class Schedule:
    milestones: tuple[Interval, ...] = ()
    repeats: tuple[Repeat, ...] = ()
    status_at: tuple[Interval, ...] = ()
    ends_after: Interval | None = None
    # Status reports received from the provider, not follow-ups held by the caseworker.
    reports_at: tuple[Interval, ...] = ()

    def __post_init__(self) -> None:
        if not self.milestones and not self.repeats:
            raise ValueError("a schedule needs milestones or a repeat")

    def repeat_at(self, start: date, anchor: date) -> Repeat | None:
        for repeat in self.repeats:
            if repeat.until is None or anchor < repeat.until.after(start):
                return repeat
        return None


class State(StrEnum):
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


class Kind(StrEnum):
    FOLLOW_UP = "follow_up"
    STATUS = "status"
    REPORT = "report"  # a status report received from the provider
    VISIT = "visit"  # a supervision visit at the placement (Barnets Lov § 156, stk. 5)


@dataclass(frozen=True)
class Due:
    due: date
    state: State
    kind: Kind = Kind.FOLLOW_UP
    held: date | None = None


@dataclass(frozen=True)
class Plan:
    dues: tuple[Due, ...] = field(default_factory=tuple)

    @property
    def overdue(self) -> tuple[Due, ...]:
        return tuple(d for d in self.dues if d.state is State.OVERDUE)

    @property
    def next_due(self) -> Due | None:
        open_ = [d for d in self.dues if d.state in (State.OVERDUE, State.UPCOMING)]
        return min(open_, key=lambda d: d.due) if open_ else None

    def compliance(self) -> float | None:
        """Share of the points already due that were met on time; None when none is due yet."""
        past = [d for d in self.dues if d.state is not State.UPCOMING]
        if not past:
            return None
        return sum(d.state is State.MET for d in past) / len(past)


def plan(
    schedule: Schedule,
    start: date,
    held: Sequence[date],
    today: date,
    end: date | None = None,
    horizon: date | None = None,
    reports: Sequence[date] = (),
) -> Plan:
    """Due points from `start` up to the first of: episode `end`, schedule end, `horizon`.

    `horizon` defaults to one point beyond `today`, so the next upcoming date is always shown.
    `reports` are the dates the provider's status reports were received (`reports_at`).
    """
    follow_ups = sorted(d for d in held if d >= start)
    stop = end
    if schedule.ends_after is not None:
        scheduled_end = schedule.ends_after.after(start)
        stop = scheduled_end if stop is None else min(stop, scheduled_end)
    dues: list[Due] = []
    used = 0  # follow-ups consumed so far
    anchor = start
    index = 0
    while True:
        if index < len(schedule.milestones):
            due = schedule.milestones[index].after(start)
            rolling = False
        else:
            repeat = schedule.repeat_at(start, anchor)
            if repeat is None:
                break
            due = repeat.every.after(anchor)
            rolling = True
        if (stop is not None and due > stop) or (horizon is not None and due > horizon):
            break
        met_by = None
        while used < len(follow_ups) and follow_ups[used] <= due:
            met_by = follow_ups[used]
            used += 1
        if met_by is not None:
            dues.append(Due(due, State.MET, held=met_by))
            anchor = met_by
        elif used < len(follow_ups):
            late = follow_ups[used]
            used += 1
            dues.append(Due(due, State.LATE, held=late))
            anchor = late
        elif due < today:
            dues.append(Due(due, State.OVERDUE))
            if rolling:
                break
            anchor = due
        else:
            dues.append(Due(due, State.UPCOMING))
            if horizon is None:
                break
            anchor = due
        index += 1
    for offset in schedule.status_at:
        point = offset.after(start)
        if (stop is not None and point > stop) or (horizon is not None and point > horizon):
            continue
        dues.append(_status_point(point, follow_ups, today))
    received = sorted(reports)
    for offset in schedule.reports_at:
        point = offset.after(start)
        if (stop is not None and point > stop) or (horizon is not None and point > horizon):
            continue
        dues.append(_status_point(point, received, today, Kind.REPORT))
    return Plan(tuple(sorted(dues, key=lambda d: d.due)))


STATUS_WINDOW_DAYS = 31  # a status point is met by a follow-up held up to a month before it


def _status_point(
    point: date, follow_ups: Sequence[date], today: date, kind: Kind = Kind.STATUS
) -> Due:
    window_start = date.fromordinal(point.toordinal() - STATUS_WINDOW_DAYS)
    held = next((d for d in follow_ups if window_start <= d <= point), None)
    if held is not None:
        return Due(point, State.MET, kind, held)
    return Due(point, State.OVERDUE if point < today else State.UPCOMING, kind)
