"""The cadence engine for many episodes at once: columns in, columns out (NumPy only).

`cadence.plan()` walks one episode's due points in Python; a team view or a nightly overdue run
needs every active episode at once. `plan_columns()` gives, per episode, exactly what
`plan(schedule, start, held, today, end)` (no horizon: up to the first upcoming point) gives:

- `next_due`: the earliest overdue or upcoming point (`Plan.next_due.due`), NaT when none;
- `overdue`: whether that point is overdue; `overdue_count`: `len(Plan.overdue)`;
- `met` / `points_due`: the points met on time / the points already due (not upcoming), so
  `compliance = met / points_due` (`Plan.compliance()`), NaN when nothing is due yet.

Status points are counted as `plan()` counts them, and so are the provider's reports
(`reports_at`) when their received dates are given (`reports`, `report_offsets`: CSR as `held`).

Layout. Dates are numpy `datetime64[D]` (internally int64 days since 1970-01-01). Episode `i` has
schedule `schedule[i]` (an index into the compiled schedules), `start[i]` and `end[i]` (NaT: open).
Its held follow-ups are `held[offsets[i]:offsets[i + 1]]` (CSR); `csr_from_episode_ids()` builds
that layout from an episode id per follow-up. They need not be sorted within an episode (they are
sorted when they are not) and may include dates before the start (ignored, as by `plan()`).

Method. Every interval is compiled to (months, days): `after(d) = add_months(d, months) + days`,
with `add_months` vectorised on numpy's calendar units (same day, clamped to the month's end, as
`deadlines.add_months`). The walk over due points is a loop over the point index k with all
episodes still running advanced together: the due date (a precomputed milestone, or the repeat in
force counted from the anchor), then the held follow-ups on or before it, by a couple of
vectorised steps forward over each episode's sorted dates; the rare episode that passes more is
found by one `searchsorted` over all held dates, made globally sortable by a key
`episode * 2**31 + day` so that the search never leaves the episode's own slice. Episodes whose
plan ends (schedule or episode end, an upcoming point, an overdue repeat) leave the running set,
which is kept as one array (a row per field) and compacted every step.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from trappen.core.cadence import STATUS_WINDOW_DAYS, Interval, Schedule
from trappen.core.deadlines import Unit

Days = NDArray[np.int64]
Dates = NDArray[np.datetime64]

_NO_DAY = np.iinfo(np.int64).max  # "no such date": no end, no until, no next due point
_NEVER = np.iinfo(np.int64).min  # "before every date": a repeat a schedule does not have
_SPAN = np.int64(1 << 31)  # days per episode in the search key: far wider than any date range
_STEPS = 2  # steps forward over held follow-ups before searching instead
# The rows of the walk's state: episode, anchor, next held unused, end of its held, stop; tallies.
_ID, _ANCHOR, _USED, _UPTO, _STOP, _MET, _DUE, _OVERDUE, _NEXT = range(9)
_FIELDS = 9


@dataclass(frozen=True)
class CompiledSchedules:
    """Schedules as arrays: row s is schedule s; columns padded to the widest schedule.

    Every interval is a pair (months, days): `after(d) = add_months(d, months) + days`.
    """

    milestone_months: Days  # (schedules, most milestones)
    milestone_days: Days
    milestone_count: Days  # (schedules,)
    repeat_months: Days  # (schedules, most repeats)
    repeat_days: Days
    until_months: Days
    until_days: Days
    has_until: NDArray[np.bool_]
    repeat_count: Days
    status_months: Days  # (schedules, most status points)
    status_days: Days
    status_count: Days
    ends_months: Days  # (schedules,)
    ends_days: Days
    has_ends: NDArray[np.bool_]
    report_months: Days  # (schedules, most report points)
    report_days: Days
    report_count: Days

    def __len__(self) -> int:
        return len(self.milestone_count)


def _pair(interval: Interval) -> tuple[int, int]:
    if interval.unit is Unit.MONTHS:
        return interval.amount, 0
    return 0, interval.amount * (7 if interval.unit is Unit.WEEKS else 1)


def _table(rows: Sequence[Sequence[Interval | None]]) -> tuple[Days, Days, NDArray[np.bool_]]:
    width = max((len(row) for row in rows), default=0)
    months = np.zeros((len(rows), width), dtype=np.int64)
    days = np.zeros((len(rows), width), dtype=np.int64)
    present = np.zeros((len(rows), width), dtype=np.bool_)
    for s, row in enumerate(rows):
        for j, interval in enumerate(row):
            if interval is not None:
                months[s, j], days[s, j] = _pair(interval)
                present[s, j] = True
    return months, days, present


def compile_schedules(schedules: Sequence[Schedule]) -> CompiledSchedules:
    """The schedules in numeric form; episode schedule ids index into `schedules`."""
    milestones = _table([s.milestones for s in schedules])
    repeats = _table([[r.every for r in s.repeats] for s in schedules])
    untils = _table([[r.until for r in s.repeats] for s in schedules])
    status = _table([s.status_at for s in schedules])
    ends = _table([[s.ends_after] for s in schedules])
    reports = _table([s.reports_at for s in schedules])

    def count(rows: Sequence[Sequence[object]]) -> Days:
        return np.array([len(row) for row in rows], dtype=np.int64)

    return CompiledSchedules(
        milestone_months=milestones[0],
        milestone_days=milestones[1],
        milestone_count=count([s.milestones for s in schedules]),
        repeat_months=repeats[0],
        repeat_days=repeats[1],
        until_months=untils[0],
        until_days=untils[1],
        has_until=untils[2],
        repeat_count=count([s.repeats for s in schedules]),
        status_months=status[0],
        status_days=status[1],
        status_count=count([s.status_at for s in schedules]),
        ends_months=ends[0][:, 0],
        ends_days=ends[1][:, 0],
        has_ends=ends[2][:, 0],
        report_months=reports[0],
        report_days=reports[1],
        report_count=count([s.reports_at for s in schedules]),
    )


def _add_months(days: Days, months: Days) -> Days:
    """Day numbers `months` later, same day of the month clamped to the month's end."""
    month = days.view("datetime64[D]").astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]").view(np.int64)  # 0-based
    target = month + months
    first = target.astype("datetime64[D]").view(np.int64)
    length = (target + 1).astype("datetime64[D]").view(np.int64) - first
    result: Days = first + np.minimum(day_of_month, length - 1)
    return result


def _after(days: Days, months: Days, add_days: Days) -> Days:
    """`after(d) = add_months(d, months) + add_days`, month arithmetic only where needed."""
    moved = days + add_days
    shift = months != 0
    if shift.all():
        moved = _add_months(days, months) + add_days
    elif shift.any():
        moved[shift] = _add_months(days[shift], months[shift]) + add_days[shift]
    return moved


def add_months(day: ArrayLike, months: ArrayLike) -> Dates:
    """Vectorised `deadlines.add_months` on `datetime64[D]` values (broadcast)."""
    days, count = np.broadcast_arrays(_days(day), np.asarray(months, dtype=np.int64))
    return _add_months(np.ascontiguousarray(days), np.ascontiguousarray(count)).view(
        "datetime64[D]"
    )


def _days(values: ArrayLike) -> Days:
    """Dates (datetime64, `date`s or int day numbers since 1970-01-01) as int64 day numbers."""
    array = np.asarray(values)
    if array.dtype.kind != "M":
        array = array.astype("datetime64[D]")
    days: Days = array.astype("datetime64[D]", copy=False).view(np.int64)
    return days


def _day(value: date | np.datetime64) -> int:
    return int(_days(np.asarray([value]))[0])


def csr_from_episode_ids(
    episode: ArrayLike, held: ArrayLike, episodes: int
) -> tuple[Dates, NDArray[np.int64]]:
    """Held dates grouped by episode (sorted within each) and the CSR offsets (`episodes + 1`)."""
    ids = np.asarray(episode, dtype=np.int64)
    days = _days(held)
    if ids.shape != days.shape:
        raise ValueError("one episode id per held follow-up")
    if ids.size and (ids.min() < 0 or ids.max() >= episodes):
        raise ValueError("episode ids must lie in range(episodes)")
    order = np.lexsort((days, ids))
    offsets = np.zeros(episodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(ids, minlength=episodes), out=offsets[1:])
    return days[order].view("datetime64[D]"), offsets


@dataclass(frozen=True)
class Columns:
    """Per episode, what `plan(...)` says about it (see the module docstring)."""

    next_due: Dates  # NaT when no point is open
    overdue: NDArray[np.bool_]
    overdue_count: Days
    met: Days
    points_due: Days

    @property
    def compliance(self) -> NDArray[np.float64]:
        """Met on time / already due; NaN where nothing is due yet."""
        with np.errstate(invalid="ignore", divide="ignore"):
            share: NDArray[np.float64] = self.met / self.points_due
        return np.where(self.points_due > 0, share, np.nan)

    def __len__(self) -> int:
        return len(self.next_due)


def plan_columns(
    schedules: CompiledSchedules,
    schedule: ArrayLike,
    start: ArrayLike,
    held: ArrayLike,
    offsets: ArrayLike,
    today: date | np.datetime64,
    end: ArrayLike | None = None,
    reports: ArrayLike | None = None,
    report_offsets: ArrayLike | None = None,
) -> Columns:
    """`cadence.plan(schedule, start, held, today, end, reports=...)` summarised for every
    episode at once. Without `reports`, no report has been received by any episode."""
    sch = np.asarray(schedule, dtype=np.int64)
    starts = _days(start)
    n = len(starts)
    if sch.shape != (n,):
        raise ValueError("one schedule id per episode")
    if n and (sch.min() < 0 or sch.max() >= len(schedules)):
        raise ValueError("schedule ids must index the compiled schedules")
    if np.isnat(starts.view("datetime64[D]")).any():
        raise ValueError("every episode needs a start")
    ptr = np.asarray(offsets, dtype=np.int64)
    hd = _days(held)
    if ptr.shape != (n + 1,) or ptr[0] != 0 or ptr[-1] != len(hd) or (np.diff(ptr) < 0).any():
        raise ValueError("offsets must be CSR offsets over the held dates: 0 … len(held)")
    if np.isnat(hd.view("datetime64[D]")).any():
        raise ValueError("held follow-ups need a date")
    now = _day(today)
    if reports is None:
        rd, rptr = np.zeros(0, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    else:
        rd, rptr = _days(reports), np.asarray(report_offsets, dtype=np.int64)
        if (
            rptr.shape != (n + 1,)
            or rptr[0] != 0
            or rptr[-1] != len(rd)
            or (np.diff(rptr) < 0).any()
        ):
            raise ValueError("report_offsets must be CSR offsets over the reports: 0 … len")
        if np.isnat(rd.view("datetime64[D]")).any():
            raise ValueError("received reports need a date")

    # The stop: the earlier of the episode's end and the schedule's end (none: _NO_DAY).
    stop = np.full(n, _NO_DAY, dtype=np.int64)
    if end is not None:
        ends = _days(end)
        if ends.shape != (n,):
            raise ValueError("one end (or NaT) per episode")
        open_ = np.isnat(ends.view("datetime64[D]"))
        stop[~open_] = ends[~open_]
    limited = schedules.has_ends[sch]
    if limited.any():
        scheduled = _after(
            starts[limited], schedules.ends_months[sch[limited]], schedules.ends_days[sch[limited]]
        )
        stop[limited] = np.minimum(stop[limited], scheduled)

    # Search keys: episode * span + (day - origin), sorted within each episode.
    origin = int(min(starts.min(initial=0), hd.min(initial=0), rd.min(initial=0)))

    def sorted_keys(days: Days, offsets: Days) -> tuple[Days, Days]:
        segment = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
        found: Days = segment * _SPAN + (days - origin)
        if len(found) > 1 and (found[1:] < found[:-1]).any():
            found.sort()
        return found, segment

    keys, segment = sorted_keys(hd, ptr)
    report_keys, _ = sorted_keys(rd, rptr)
    # The held days, now in episode and date order (one spare at the end for safe indexing).
    hd = np.append(keys - segment * _SPAN + origin, 0)
    base = np.arange(n, dtype=np.int64) * _SPAN - origin  # key of day d in episode i: base[i] + d

    def position(
        ids: Days, day: Days, side: Literal["left", "right"], among: Days | None = None
    ) -> Days:
        found: Days = np.searchsorted(
            keys if among is None else among, base[ids] + day, side=side
        ).astype(np.int64)
        return found

    def held_up_to(ids: Days, used: Days, upto: Days, due: Days) -> Days:
        """The position after the last held follow-up on or before `due`, at least `used`.

        A few steps forward from `used` over all episodes at once (usually zero or one
        follow-up is passed; a step that does not move is idempotent), then a search for the
        few still moving."""
        found = used.copy()
        for _ in range(_STEPS):
            found += (found < upto) & (hd[found] <= due)
        moving = np.flatnonzero((found < upto) & (hd[found] <= due))
        if len(moving):
            found[moving] = position(ids[moving], due[moving], "right")
        return found

    # Per episode: the milestone dates; the repeats' parameters and the dates they run until.
    everyone = np.arange(n, dtype=np.int64)
    milestones = schedules.milestone_count[sch]
    width_m = schedules.milestone_months.shape[1]
    milestone_at = np.empty((n, width_m), dtype=np.int64)
    for j in range(width_m):
        milestone_at[:, j] = _after(
            starts, schedules.milestone_months[sch, j], schedules.milestone_days[sch, j]
        )
    width_r = schedules.repeat_months.shape[1]
    every_months = schedules.repeat_months[sch]
    every_days = schedules.repeat_days[sch]
    until_at = np.full((n, width_r), _NO_DAY, dtype=np.int64)  # no until: in force for good
    for j in range(width_r):
        bounded = schedules.has_until[sch, j]
        until_at[bounded, j] = _after(
            starts[bounded],
            schedules.until_months[sch[bounded], j],
            schedules.until_days[sch[bounded], j],
        )
        until_at[j >= schedules.repeat_count[sch], j] = _NEVER  # no such repeat: never in force

    # The walk over the due points, all running episodes one point at a time. The state of the
    # running episodes is one array, a row per field, so that dropping the finished ones is one
    # operation; their tallies are written out when they leave.
    state = np.empty((_FIELDS, n), dtype=np.int64)
    state[_ID] = everyone
    state[_ANCHOR] = starts
    state[_USED] = position(everyone, starts, "left")  # the first held on or after the start
    state[_UPTO] = ptr[1:]
    state[_STOP] = stop
    state[_MET : _NEXT + 1] = 0
    state[_NEXT] = _NO_DAY
    tally = np.empty((_NEXT + 1 - _MET, n), dtype=np.int64)  # met, due, overdue, next due

    k = 0
    while state.shape[1]:
        ids, anchor = state[_ID], state[_ANCHOR]
        fixed = k < milestones.take(ids)
        rolling = ~fixed
        if rolling.all():
            due, counted = _repeat_due(ids, anchor, until_at, every_months, every_days)
        else:
            due = np.empty(len(ids), dtype=np.int64)
            counted = np.ones(len(ids), dtype=np.bool_)
            due[fixed] = milestone_at[ids[fixed], k]
            if rolling.any():
                due[rolling], counted[rolling] = _repeat_due(
                    ids[rolling], anchor[rolling], until_at, every_months, every_days
                )
        # A point beyond the stop (or no repeat in force) ends the walk, uncounted.
        counted &= due <= state[_STOP]
        used, upto = state[_USED], state[_UPTO]
        found = held_up_to(ids, used, upto, due)
        met = counted & (found > used)  # met by the last follow-up held on or before it
        late = counted & ~met & (used < upto)  # else by the next follow-up held, after it
        open_ = counted & ~met & ~late
        missed = open_ & (due < now)
        state[_ANCHOR] = np.where(open_, due, hd[np.where(met, found - 1, used)])
        state[_USED] = np.where(met, found, used + late)
        state[_MET] += met
        state[_DUE] += met | late | missed
        state[_OVERDUE] += missed
        np.minimum(state[_NEXT], np.where(open_, due, _NO_DAY), out=state[_NEXT])
        # Going on: met or late, or an overdue milestone. An upcoming point or an overdue
        # repeat ends the plan (the next repeat cannot be dated before the missed one is held).
        going = met | late | (missed & fixed)
        if not going.all():
            gone = state[:, ~going]
            tally[:, gone[_ID]] = gone[_MET:]
            state = state.take(np.flatnonzero(going), axis=1)
        k += 1

    # Status points: met by a follow-up held in the month before (on or after the start).
    met_count, points_due, overdue_count, next_due = tally
    for j in range(schedules.status_months.shape[1]):
        point = _after(starts, schedules.status_months[sch, j], schedules.status_days[sch, j])
        has = (j < schedules.status_count[sch]) & (point <= stop)
        s_ids, s_start, point = everyone[has], starts[has], point[has]
        window = np.maximum(s_start, point - STATUS_WINDOW_DAYS)
        met = position(s_ids, point, "right") > position(s_ids, window, "left")
        missed = ~met & (point < now)
        open_ = ~met
        met_count[s_ids] += met
        points_due[s_ids] += met | missed
        overdue_count[s_ids] += missed
        next_due[s_ids[open_]] = np.minimum(next_due[s_ids[open_]], point[open_])

    # The provider's reports: met by a report received in the month before (any date).
    for j in range(schedules.report_months.shape[1]):
        point = _after(starts, schedules.report_months[sch, j], schedules.report_days[sch, j])
        has = (j < schedules.report_count[sch]) & (point <= stop)
        r_ids, point = everyone[has], point[has]
        window = point - STATUS_WINDOW_DAYS
        met = position(r_ids, point, "right", report_keys) > position(
            r_ids, window, "left", report_keys
        )
        missed = ~met & (point < now)
        open_ = ~met
        met_count[r_ids] += met
        points_due[r_ids] += met | missed
        overdue_count[r_ids] += missed
        next_due[r_ids[open_]] = np.minimum(next_due[r_ids[open_]], point[open_])

    none = next_due == _NO_DAY
    next_dates = next_due.view("datetime64[D]").copy()
    next_dates[none] = np.datetime64("NaT")
    return Columns(
        next_due=next_dates,
        overdue=~none & (next_due < now),
        overdue_count=overdue_count.copy(),
        met=met_count.copy(),
        points_due=points_due.copy(),
    )


def _repeat_due(
    ids: Days, anchor: Days, until_at: Days, every_months: Days, every_days: Days
) -> tuple[Days, NDArray[np.bool_]]:
    """The next rolling point from `anchor`, by the first repeat still in force there."""
    width = until_at.shape[1]
    if not width:
        return anchor.copy(), np.zeros(len(ids), dtype=np.bool_)
    row = ids * width
    chosen = np.zeros(len(ids), dtype=np.int64)
    in_force = anchor < until_at.take(row)
    for j in range(1, width):  # repeats after the first: only where none before is in force
        later = ~in_force & (anchor < until_at.take(row + j))
        chosen[later] = j
        in_force |= later
    at = row + chosen
    return _after(anchor, every_months.take(at), every_days.take(at)), in_force
