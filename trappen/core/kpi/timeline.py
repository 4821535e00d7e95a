"""Where every child stands on the staircase over time, as one sorted sweep (NumPy).

A child stands on the highest step among its episodes active that day (`core.staircase`), or
on none. That is a step function of the day. It changes only where an episode starts or ends,
so it is computed from those events: sorted by child and day, a running count of active
episodes per step (steps are 0–5: six cumulative sums) gives the highest step after each
event. The result has one row per change: from `day` on, until the child's next row, the child
stands on `step` (-1: on none).

Movements use the same rows, with short gaps bridged (`moves`); step counts at dates look the
rows up by binary search (`Timeline.steps_at`).
"""

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

NONE = -1  # "on no step": no episode active
STEPS = tuple(range(6))
BRIDGE_DAYS = 31  # a gap of at most this many days between two episodes is not a move

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Timeline:
    """Rows sorted by child, then day; consecutive rows of a child differ in `step`.

    Row i: from day `day[i]` (day number, days since 1970-01-01) until the child's next row
    (or for ever), the child's highest active step is `step[i]` (NONE: no episode active).
    A child's first row is the start of its first episode.
    """

    child: Ints
    day: Ints
    step: Ints

    def __len__(self) -> int:
        return len(self.child)

    def steps_at(self, child: Ints, day: Ints) -> Ints:
        """The highest active step of each `child[i]` on `day[i]` (NONE: none active, or no
        episode yet): the child's last row on or before the day."""
        return take(self.step, last_on_or_before(self.child, self.day, child, day), NONE)


def last_on_or_before(child: Ints, day: Ints, at_child: Ints, at_day: Ints) -> Ints:
    """For rows sorted by (`child`, `day`): the index of each `at_child[i]`'s last row on or
    before `at_day[i]`, -1 when it has none. One binary search over int64 keys
    child · 2³² + day (queries that come in the same order make it faster)."""
    if len(child) == 0:
        return np.full(len(at_child), -1, dtype=np.int64)
    offset = min(int(day.min()), int(at_day.min(initial=0)))
    found = np.searchsorted(
        (child << 32) | (day - offset), (at_child << 32) | (at_day - offset), side="right"
    )
    row = found - 1
    hit = (row >= 0) & (child[np.maximum(row, 0)] == at_child)
    return np.where(hit, row, -1)


def take(values: Ints, rows: Ints, default: int) -> Ints:
    """`values[rows]`, with `default` where a row is -1 (as `last_on_or_before` gives)."""
    if len(values) == 0:
        return np.full(len(rows), default, dtype=np.int64)
    return np.where(rows >= 0, values[np.maximum(rows, 0)], default)


def _first_of_run(keys: Ints) -> NDArray[np.bool_]:
    """True where a row's key differs from the row before (the first row: True)."""
    out = np.ones(len(keys), dtype=np.bool_)
    out[1:] = keys[1:] != keys[:-1]
    return out


def _days(column: pl.Series) -> Ints:
    """A Date column without nulls as int64 day numbers."""
    return column.cast(pl.Int32).cast(pl.Int64).to_numpy()


def step_timeline(episodes: pl.DataFrame) -> Timeline:
    """The timeline of `episodes` (columns `child`, a non-negative integer code per child,
    `step`, `start_date`, `end_date`). Episodes that end on or before their start are never
    active: left out."""
    live = episodes.select("child", "step", "start_date", "end_date").filter(
        pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("start_date"))
    )
    if live.height == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Timeline(empty, empty, empty)
    child = live.get_column("child").cast(pl.Int64).to_numpy()
    step = live.get_column("step").cast(pl.Int64).to_numpy()
    start = _days(live.get_column("start_date"))
    ends = live.get_column("end_date").cast(pl.Int32)
    # A running episode ends, for the sweep, on a day after every date: every child's counts
    # are back at zero after its last event, so one running sum serves all children.
    forever = max(int(start.max()), int(ends.max() or 0)) + 1  # type: ignore[arg-type]
    end = ends.fill_null(forever).cast(pl.Int64).to_numpy()
    first_day = int(start.min())
    if forever - first_day >= 1 << 20 or int(child.min()) < 0:
        raise ValueError("episode dates span more than 2,800 years, or a child code is < 0")
    if int(step.min()) < min(STEPS) or int(step.max()) > max(STEPS):
        raise ValueError("an episode's step must be 0–5")

    # One int64 key per event sorts by child, then day (step and start/end ride along):
    # child | day - first day (20 bits) | step (3 bits) | 1: starts, 0: ends.
    rest = (child << 24) | (step << 1)
    packed = np.concatenate(
        [rest | ((start - first_day) << 4) | 1, rest | ((end - first_day) << 4)]
    )
    key: Ints = pl.Series(packed).sort().to_numpy()
    child_day = key >> 4
    child, day = key >> 24, (child_day & ((1 << 20) - 1)) + first_day
    step, delta = (key >> 1) & 7, (key & 1).astype(np.int32) * 2 - 1

    # After the last event of a child's day: the highest step with an active episode.
    last_of_day = np.ones(len(key), dtype=np.bool_)
    last_of_day[:-1] = child_day[1:] != child_day[:-1]
    highest = np.full(int(last_of_day.sum()), NONE, dtype=np.int64)
    for s in STEPS:
        active = np.cumsum(np.where(step == s, delta, 0), dtype=np.int32)[last_of_day]
        highest[active > 0] = s
    child, day = child[last_of_day], day[last_of_day]
    # Keep only the changes (a row whose step equals the child's row before says nothing
    # new), and not the sweep's own end.
    previous = np.empty_like(highest)
    previous[0] = NONE
    previous[1:] = highest[:-1]
    previous[_first_of_run(child)] = NONE
    keep = (highest != previous) & (day != forever)
    return Timeline(child[keep], day[keep], highest[keep])


@dataclass(frozen=True)
class Moves:
    """One row per move: `child` moved from step `source` to step `target` on `day`."""

    child: Ints
    day: Ints
    source: Ints
    target: Ints


def bridged(timeline: Timeline, days: int = BRIDGE_DAYS) -> Ints:
    """The steps of the timeline with short gaps bridged: a row on NONE that lies between two
    rows of the same child and lasts at most `days` days takes the step of the row before
    (the child stays on the earlier step until the next episode starts)."""
    child, day, step = timeline.child, timeline.day, timeline.step
    out = step.copy()
    if len(child) < 3:
        return out
    inner = np.zeros(len(child), dtype=np.bool_)
    inner[1:-1] = (child[1:-1] == child[:-2]) & (child[1:-1] == child[2:])
    length = np.zeros(len(child), dtype=np.int64)
    length[:-1] = day[1:] - day[:-1]
    gap = inner & (step == NONE) & (length <= days)
    # Consecutive rows differ, so the row before a NONE row is on a step.
    out[gap] = step[np.flatnonzero(gap) - 1]
    return out


def moves(timeline: Timeline, first_day: int, last_day: int) -> Moves:
    """The moves on days `first_day`–`last_day` (day numbers, both included): a change of the
    (bridged) highest active step from one step to another. Entering from NONE and leaving to
    NONE are not moves."""
    step = bridged(timeline)
    child, day = timeline.child, timeline.day
    if len(child) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return Moves(empty, empty, empty, empty)
    source = np.full(len(child), NONE, dtype=np.int64)
    source[1:] = step[:-1]
    source[_first_of_run(child)] = NONE
    move = (
        (source != NONE)
        & (step != NONE)
        & (source != step)
        & (day >= first_day)
        & (day <= last_day)
    )
    return Moves(child[move], day[move], source[move], step[move])
