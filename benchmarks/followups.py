"""Every due date and overdue flag of 100,000 active episodes, with the columnar cadence engine.

Generates (NumPy, seeded, no database) active episodes across the Herning schedules with two to
three years of follow-up history (mostly on time, some late, some missed, some episodes lapsed),
then times `cadence_columnar.plan_columns()` on all of them: next due date, overdue flag and count,
compliance. Prints best and mean of 3 runs, the rate, peak memory, and as a reference the per-
episode `cadence.plan()` on a sample, extrapolated; checks that both agree on that sample.
Target: < 1 s on the 2-core development machine. Prints; asserts nothing.
"""

import resource
import time
import tracemalloc
from datetime import date, timedelta
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from trappen.core.cadence import Interval, Kind, Repeat, Schedule, plan
from trappen.core.cadence_columnar import Columns, compile_schedules, plan_columns
from trappen.core.deadlines import Unit

TODAY = date(2026, 11, 23)  # fixed, so that a seed always gives the same figures


def _w(n: int) -> Interval:
    return Interval(n, Unit.WEEKS)


def _m(n: int) -> Interval:
    return Interval(n, Unit.MONTHS)


# The seed's rules (as in tests/core/test_cadence.py), with the share of episodes under each.
SCHEDULES: dict[str, tuple[Schedule, float]] = {
    "institution": (Schedule((_w(2),), (Repeat(_w(6)),)), 0.25),
    "foster_family": (Schedule((_w(2),), (Repeat(_w(6), until=_m(12)), Repeat(_m(3)))), 0.20),
    "room_of_own": (Schedule((_w(2),), (Repeat(_w(6)),)), 0.10),
    "short_term": (Schedule((), (Repeat(_w(4)),)), 0.15),
    "preventive": (Schedule((_w(4),), (Repeat(_m(3)),), status_at=(_m(6),)), 0.10),
    "mst": (Schedule((_w(4), _w(8), _m(3)), (), ends_after=_m(5)), 0.04),
    "family_centre": (Schedule((_w(4), _m(3), _m(6)), (Repeat(_m(3)),), status_at=(_m(8),)), 0.08),
    "contact_person": (Schedule((_w(4), _m(3), _m(6)), (Repeat(_m(3)),)), 0.08),
}


class Episodes:
    """A batch in the engine's columns: schedule id, start, end (NaT: open), held dates (CSR)."""

    def __init__(
        self,
        schedule: NDArray[np.int64],
        start: NDArray[np.datetime64],
        end: NDArray[np.datetime64],
        held: NDArray[np.datetime64],
        offsets: NDArray[np.int64],
    ) -> None:
        self.schedule, self.start, self.end = schedule, start, end
        self.held, self.offsets = held, offsets

    def __len__(self) -> int:
        return len(self.start)


def _on_time_offsets(schedule: Schedule, days: int) -> list[int]:
    """Days from the start of every follow-up point, when each is held on its due date."""
    start = date(2020, 1, 6)
    planned = plan(schedule, start, [], today=start, horizon=start + timedelta(days=days))
    return [(d.due - start).days for d in planned.dues if d.kind is Kind.FOLLOW_UP]


def generate(episodes: int, seed: int) -> Episodes:
    """Active episodes with follow-ups held until today: 75 % on time (up to 10 days early),
    15 % late (1-28 days), 10 % missed; 8 % of the episodes stopped being followed up 1-7 months
    ago. The next follow-up is counted from the one before, as caseworkers plan them."""
    rng = np.random.default_rng(seed)
    today = np.datetime64(TODAY, "D").astype(np.int64)
    names = list(SCHEDULES)
    shares = np.array([SCHEDULES[n][1] for n in names])
    schedule = np.sort(rng.choice(len(names), size=episodes, p=shares / shares.sum()))
    ids: list[NDArray[np.int64]] = []
    days: list[NDArray[np.int64]] = []
    start = np.empty(episodes, dtype=np.int64)
    for s, name in enumerate(names):
        rows = np.flatnonzero(schedule == s)
        n = len(rows)
        if name == "mst":  # measures of five months: active means started within them
            history = rng.integers(14, 150, size=n)
        else:
            history = rng.integers(730, 1096, size=n)
        start[rows] = today - history
        offsets = np.array(_on_time_offsets(SCHEDULES[name][0], 1200), dtype=np.int64)
        gaps = np.diff(offsets, prepend=0)
        kind = rng.random((n, len(gaps)))
        noise = np.where(
            kind < 0.75,
            -rng.integers(0, 11, size=(n, len(gaps))),
            rng.integers(1, 29, size=(n, len(gaps))),
        )
        missed = kind >= 0.90
        noise[missed] = 0  # planned as if held on time, but not held
        held = start[rows, None] + np.cumsum(gaps + noise, axis=1)
        lapsed = rng.random(n) < 0.08
        until = np.where(lapsed, today - rng.integers(30, 210, size=n), today)
        keep = ~missed & (held < until[:, None])
        ids.append(np.broadcast_to(rows[:, None], held.shape)[keep])
        days.append(held[keep])
    episode_ids, held_days = np.concatenate(ids), np.concatenate(days)
    counts = np.bincount(episode_ids, minlength=episodes)
    offsets = np.zeros(episodes + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    order = np.argsort(episode_ids, kind="stable")  # by episode, dates already in order
    end = np.full(episodes, np.datetime64("NaT"), dtype="datetime64[D]")
    planned_end = rng.random(episodes) < 0.10
    end[planned_end] = (today + rng.integers(1, 366, size=planned_end.sum())).astype(
        "datetime64[D]"
    )
    return Episodes(
        schedule.astype(np.int64),
        start.astype("datetime64[D]"),
        end,
        held_days[order].astype("datetime64[D]"),
        offsets,
    )


COMPILED = compile_schedules([schedule for schedule, _ in SCHEDULES.values()])


def compute(batch: Episodes) -> tuple[Columns, NDArray[np.float64]]:
    """What is timed: every episode's next due date, overdue flag and count, and compliance."""
    columns = plan_columns(
        COMPILED, batch.schedule, batch.start, batch.held, batch.offsets, TODAY, batch.end
    )
    return columns, columns.compliance


def _per_episode(
    batch: Episodes, rows: NDArray[np.int64]
) -> tuple[float, list[tuple[object, ...]]]:
    """The pure-Python engine on `rows`: seconds taken, and the same figures per episode."""
    schedules = [schedule for schedule, _ in SCHEDULES.values()]
    inputs = []
    for i in rows:
        lo, hi = batch.offsets[i], batch.offsets[i + 1]
        end = batch.end[i]
        inputs.append((
            schedules[batch.schedule[i]],
            batch.start[i].astype(date),
            batch.held[lo:hi].tolist(),
            None if np.isnat(end) else end.astype(date),
        ))  # fmt: skip
    started = time.perf_counter()
    plans = [plan(schedule, start, held, TODAY, end) for schedule, start, held, end in inputs]
    taken = time.perf_counter() - started
    figures: list[tuple[object, ...]] = []
    for p in plans:
        nd = p.next_due
        figures.append((nd.due if nd else None, len(p.overdue), p.compliance()))
    return taken, figures


def run(
    *,
    children: int,
    requests: int,
    seed: int,
    out: TextIO,
    episodes: int = 100_000,
    sample: int = 2_000,
) -> None:
    """Generate the episodes, time the columnar engine, compare with plan() on a sample."""
    del children, requests  # sizes of the `pages` benchmark
    out.write(f"Generating {episodes:,} active episodes (seed {seed}, today {TODAY}) …\n")
    started = time.perf_counter()
    batch = generate(episodes, seed)
    out.write(
        f"Generated in {time.perf_counter() - started:.1f} s: {len(batch):,} episodes, "
        f"{len(batch.held):,} held follow-ups ({len(batch.held) / max(1, len(batch)):.1f} per "
        f"episode) across {len(SCHEDULES)} schedules.\n"
    )

    compute(batch)  # warm-up: not counted
    times, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        columns, compliance = compute(batch)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    best, mean = min(times), sum(times) / len(times)
    tracemalloc.start()
    compute(batch)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    overdue = int(columns.overdue.sum())
    out.write(
        f"Columnar engine (best of 3): {best * 1000:.0f} ms, mean {mean * 1000:.0f} ms "
        f"(CPU time best {min(cpu) * 1000:.0f} ms) — {len(batch) / best:,.0f} episodes/s; "
        f"peak allocation {peak / 2**20:.0f} MiB "
        f"(process max RSS {rss:.0f} MiB).\n"
        f"  {overdue:,} episodes overdue ({int(columns.overdue_count.sum()):,} points), "
        f"{int(np.isnat(columns.next_due).sum()):,} without a next due date, mean compliance "
        f"{np.nanmean(compliance):.1%}.\n"
    )

    rows = np.random.default_rng(seed).permutation(len(batch))[: min(sample, len(batch))]
    taken, expected = _per_episode(batch, rows)
    got = [
        (
            None if np.isnat(columns.next_due[i]) else columns.next_due[i].astype(date),
            int(columns.overdue_count[i]),
            None if np.isnan(compliance[i]) else float(compliance[i]),
        )
        for i in rows
    ]
    agree = sum(a == b for a, b in zip(got, expected, strict=True))
    if len(rows):
        scale = len(batch) / len(rows)
        out.write(
            f"Reference, cadence.plan() per episode: {taken * 1000:.0f} ms for {len(rows):,} "
            f"episodes, about {taken * scale:.1f} s for all {len(batch):,} "
            f"({taken * scale / best:.0f} times the columnar engine); "
            f"the two agree on {agree:,} of the {len(rows):,} sampled episodes.\n"
        )
