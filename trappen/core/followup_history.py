"""Follow-ups on time as they stood on past days (F13 point 5, the target over time): pure.

The due lists' share (`followups/ontime.py`) is today's: of the model's follow-up points
already due on the measures active today, those met on time (`cadence.State.MET`: a
follow-up that counts for the model's plan held on or before the point's date; no grace).
`on_time_on(schedules, measures, days)` gives the same share as it stood at the end of each
of `days`: the measures active on the day (started on or before it, not ended by it) in a
case not closed by it, each planned as the due list planned it that day, with only the follow-ups
held and the provider's reports received by then. On today it is the due lists' figure
(tests/followups/test_history.py holds the two equal).

All the measures are planned at once per day by the columnar engine
(`cadence_columnar.plan_columns`); tests/core/test_followup_history.py holds it equal to
`cadence.plan()` one measure at a time.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from trappen.core.cadence import Schedule
from trappen.core.cadence_columnar import compile_schedules, csr_from_episode_ids, plan_columns

TOTAL = ""  # the key of the municipality's count beside the groups' names


@dataclass(frozen=True)
class Measure:
    """One episode with a model rhythm, as the history reads it."""

    schedule: int  # index into the schedules: the model's, in force at the start
    group: str  # the child's district group
    start: date
    end: date | None  # exclusive; None: running
    case_closed: date | None  # the case is closed from this day on; None: open
    held: tuple[date, ...]  # the follow-ups that count for the model's plan (`model_dates`)
    reports: tuple[date, ...] = ()  # the provider's reports received

    def active_on(self, day: date) -> bool:
        return (
            self.start <= day
            and (self.end is None or day < self.end)
            and (self.case_closed is None or day < self.case_closed)
        )


@dataclass(frozen=True)
class Count:
    """Points already due and those met on time."""

    due: int = 0
    met: int = 0

    @property
    def share(self) -> float | None:
        return self.met / self.due if self.due else None


def _dates(values: Sequence[date | None]) -> NDArray[np.datetime64]:
    return np.array(values, dtype="datetime64[D]")


def _flat(groups: Sequence[Sequence[date]]) -> tuple[NDArray[np.int64], NDArray[np.datetime64]]:
    owner = np.repeat(np.arange(len(groups), dtype=np.int64), [len(g) for g in groups])
    return owner, _dates([d for g in groups for d in g])


def on_time_on(
    schedules: Sequence[Schedule], measures: Sequence[Measure], days: Sequence[date]
) -> dict[date, dict[str, Count]]:
    """Per day: group name (TOTAL: every group) → the points due and met as of its end. A
    group with no measure active on the day is absent."""
    out: dict[date, dict[str, Count]] = {day: {} for day in days}
    if not measures or not schedules:
        return out
    compiled = compile_schedules(schedules)
    names = sorted({m.group for m in measures})
    group = np.array([names.index(m.group) for m in measures], dtype=np.int64)
    schedule = np.array([m.schedule for m in measures], dtype=np.int64)
    start = _dates([m.start for m in measures])
    end = _dates([m.end for m in measures])
    closed = _dates([m.case_closed for m in measures])
    held_owner, held = _flat([m.held for m in measures])
    report_owner, reports = _flat([m.reports for m in measures])
    for day in dict.fromkeys(days):
        e = np.datetime64(day, "D")
        active = (start <= e) & (np.isnat(end) | (end > e)) & (np.isnat(closed) | (closed > e))
        index = np.flatnonzero(active)
        if not len(index):
            continue
        rank = np.cumsum(active) - 1  # a measure's place among the active ones
        keep = active[held_owner] & (held <= e)
        held_days, offsets = csr_from_episode_ids(rank[held_owner[keep]], held[keep], len(index))
        keep = active[report_owner] & (reports <= e)
        received, report_offsets = csr_from_episode_ids(
            rank[report_owner[keep]], reports[keep], len(index)
        )
        columns = plan_columns(
            compiled,
            schedule[index],
            start[index],
            held_days,
            offsets,
            e,
            end[index],
            reports=received,
            report_offsets=report_offsets,
        )
        due = np.bincount(group[index], weights=columns.points_due, minlength=len(names))
        met = np.bincount(group[index], weights=columns.met, minlength=len(names))
        present = np.bincount(group[index], minlength=len(names)) > 0
        counts = {
            name: Count(int(due[i]), int(met[i])) for i, name in enumerate(names) if present[i]
        }
        counts[TOTAL] = Count(int(columns.points_due.sum()), int(columns.met.sum()))
        out[day] = counts
    return out


def shares(counts: Mapping[date, Mapping[str, Count]]) -> dict[date, dict[str, float | None]]:
    """`on_time_on()`'s counts as shares (None: nothing due yet)."""
    return {day: {g: c.share for g, c in by.items()} for day, by in counts.items()}
