"""Every key figure of a national-scale dataset over ten years, with `kpi.evaluate()`.

Generates (NumPy and Polars, seeded, no database, no Django) 100,000 children in 40 school
districts of 4 groups and 20 teams, with cases, about 1,000,000 episodes on the staircase
(steps 0–5, placements of all seven types, some breakdowns), about 2,000,000 follow-ups and
complaints, over 2016–2025. Then times `evaluate()` on the ten years (grouped by district
group), prints the process's peak memory, and times the årsbørn/spending aggregation once more
against the same aggregation written as DuckDB SQL over the same frames. Targets: the full
evaluation < 2 s and < 2 GB, Polars/DuckDB <= 1.5 on the 2-core development machine. Prints;
asserts nothing (tests/core/kpi/test_benchmark_sql.py checks that the two agree).
"""

import os
import resource
import time
from collections.abc import Callable
from datetime import date
from typing import TextIO

import duckdb
import numpy as np
import polars as pl
from numpy.typing import NDArray

from trappen.core.dataset import CATEGORIES, Dataset
from trappen.core.kpi import Period, evaluate
from trappen.core.kpi.frames import UNKNOWN
from trappen.core.kpi.keyfigures import key_figures_coded
from trappen.core.kpi.report import TOTAL, catalogue_groups, placement_table, prepare
from trappen.core.kpi.timeline import moves, step_timeline

FIRST, LAST = date(2016, 1, 1), date(2025, 12, 31)
PERIOD = Period(FIRST, LAST)
GROUPS = ("pilot", "north", "south", "west")
DISTRICTS, TEAMS, CASEWORKERS = 40, 20, 4_000
_EPOCH = date(1970, 1, 1).toordinal()

Ints = NDArray[np.int64]

# Per step: the placement types it may have (None: not a placement) and their weights; the
# daily cost range in kr.
_ON_STEP: dict[int, tuple[tuple[str | None, ...], tuple[float, ...], tuple[int, int]]] = {
    0: ((None,), (1.0,), (0, 50)),
    1: ((None,), (1.0,), (50, 400)),
    2: ((None, "home_based"), (0.7, 0.3), (200, 900)),
    3: (("foster_network",), (1.0,), (500, 1_200)),
    4: (("foster_ordinary", "foster_special"), (0.8, 0.2), (1_000, 2_500)),
    5: (
        ("residential_institution", "socio_pedagogical", "secure_institution"),
        (0.6, 0.35, 0.05),
        (2_500, 9_000),
    ),
}
_STEP_SHARES = np.array([0.10, 0.35, 0.20, 0.10, 0.15, 0.10])


def _day(d: date) -> int:
    return d.toordinal() - _EPOCH


def _dates(days: Ints) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _ids(prefix: str, n: int) -> pl.Series:
    return pl.select(pl.format(prefix + "{}", pl.int_range(n).cast(pl.String).str.zfill(8)))[:, 0]


def _runs(counts: Ints) -> tuple[Ints, Ints]:
    """For runs of the given lengths: each row's run and its position within the run."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def generate(children: int, seed: int, episodes_per_child: float = 10.65) -> Dataset:
    """A seeded national-scale dataset: `children` children, about `episodes_per_child`
    episodes each in a chain (each starts a few weeks before or after the last ended, one in
    eight alongside it), one case covering them (one child in five has a second case after a
    short break), two follow-ups per episode on average, one complaint per 25 children."""
    rng = np.random.default_rng(seed)
    first, last = _day(FIRST), _day(LAST)
    district_names = [f"D{i:02d}" for i in range(DISTRICTS)]
    districts = pl.DataFrame(
        {
            "district": district_names,
            "group": [GROUPS[i % len(GROUPS)] for i in range(DISTRICTS)],
            "team": [f"T{i % TEAMS:02d}" for i in range(DISTRICTS)],
        }
    )
    district = rng.integers(0, DISTRICTS, children)
    child_ids = _ids("C", children)
    child_frame = pl.DataFrame(
        {
            "child_id": child_ids,
            "birth_date": _dates(first - rng.integers(0, 18 * 365, children)),
            "sex": np.where(rng.random(children) < 0.5, "female", "male"),
            "district": pl.Series(np.array(district_names)[district]).set(
                pl.Series(rng.random(children) < 0.01), None
            ),
        }
    )

    # Episodes: a chain per child, starting somewhere in 2014–2024.
    n_episodes = rng.poisson(episodes_per_child, children).clip(1, None)
    owner, position = _runs(n_episodes)
    total = len(owner)
    length = np.maximum(1, rng.lognormal(5.0, 0.9, total).astype(np.int64))  # median ~150 d
    gap = rng.integers(-20, 75, total)
    gap[rng.random(total) < 0.125] = -10_000  # alongside: starts with the one before it
    advance = length + gap
    chain = np.cumsum(advance) - advance  # per-row running sum, reset per child below
    child_start = first - 730 + rng.integers(0, 3_650, children)
    base = chain[np.cumsum(n_episodes) - n_episodes]
    start = child_start[owner] + chain - base[owner]
    start = np.maximum(start, child_start[owner])
    end = start + length
    keep = start <= last
    owner, position, start, end = owner[keep], position[keep], start[keep], end[keep]
    total = len(owner)
    running = end > last + 30
    step = rng.choice(6, total, p=_STEP_SHARES)
    placement = np.full(total, "", dtype=object)
    cost = np.zeros(total)
    for s, (types, weights, (low, high)) in _ON_STEP.items():
        on = np.flatnonzero(step == s)
        names = np.array([t or "" for t in types], dtype=object)
        placement[on] = names[rng.choice(len(types), len(on), p=weights)]
        cost[on] = rng.integers(low, high, len(on))
    placed = placement != ""
    reason = np.where(
        rng.random(total) < 0.12, "breakdown", np.where(rng.random(total) < 0.8, "planned", "other")
    )
    no_reason = running | (~placed & (reason == "breakdown"))
    episode_ids = _ids("E", total)
    episodes = pl.DataFrame(
        {
            "episode_id": episode_ids,
            "child_id": child_ids.gather(owner),
            "step": step.astype(np.int8),
            "placement_type": pl.Series(placement.astype(str)).set(pl.Series(~placed), None),
            "intervention": pl.Series(np.array(["I1", "I2", "I3"])[step % 3]),
            "start_date": _dates(start),
            "end_date": _dates(end).set(pl.Series(running), None),
            "end_reason": pl.Series(reason).set(pl.Series(no_reason), None),
            "daily_cost": cost,
        }
    )

    # Cases: from a month before the first episode to a month after the last one ends (open
    # if one runs); one child in five closes it half-way and opens a second after 10 days.
    lo = np.full(children, np.iinfo(np.int64).max)
    hi = np.zeros(children, dtype=np.int64)
    np.minimum.at(lo, owner, start)
    np.maximum.at(hi, owner, np.where(running, np.iinfo(np.int32).max, end))
    has = lo < np.iinfo(np.int64).max
    opened, closed = lo - 30, hi + 30
    split = has & (rng.random(children) < 0.2) & (closed - opened > 200)
    middle = opened + (np.minimum(closed, last) - opened) // 2
    team = np.array([f"T{i % TEAMS:02d}" for i in range(DISTRICTS)])[district]
    rows = np.flatnonzero(has)
    second = np.flatnonzero(split)
    case_child = np.concatenate([rows, second])
    case_open = np.concatenate([opened[rows], middle[second] + 10])
    case_close = np.concatenate([np.where(split, middle, closed)[rows], closed[second]])
    open_now = case_close > last
    worker = rng.integers(0, CASEWORKERS, len(case_child))
    cases = pl.DataFrame(
        {
            "case_id": _ids("K", len(case_child)),
            "child_id": child_ids.gather(case_child),
            "team": pl.Series(team[case_child]),
            "opened": _dates(case_open),
            "closed": _dates(np.minimum(case_close, last)).set(pl.Series(open_now), None),
            "caseworker": pl.Series(np.char.add("W", worker.astype(str))).set(
                pl.Series(rng.random(len(case_child)) < 0.02), None
            ),
        }
    )

    # Follow-ups: about two per episode, on days the episode is active (up to the last day).
    per = rng.poisson(2.0, total)
    of, _ = _runs(per)
    span = np.minimum(end, last + 1) - start
    held = start[of] + (rng.random(len(of)) * span[of]).astype(np.int64)
    followups = pl.DataFrame(
        {
            "followup_id": _ids("F", len(of)),
            "child_id": child_ids.gather(owner[of]),
            "episode_id": episode_ids.gather(of),
            "date": _dates(held),
            "child_conversation": rng.random(len(of)) < 0.6,
        }
    )
    n_complaints = children // 25
    who = rng.integers(0, children, n_complaints)
    complaints = pl.DataFrame(
        {
            "complaint_id": _ids("Q", n_complaints),
            "child_id": child_ids.gather(who),
            "team": pl.Series(team[who]),
            "date": _dates(rng.integers(first, last + 1, n_complaints)),
        }
    )
    return Dataset.from_frames(
        {
            "districts": districts,
            "children": child_frame,
            "cases": cases,
            "episodes": episodes,
            "followups": followups,
            "complaints": complaints,
        }
    )


_CATEGORY_SQL = " ".join(
    f"WHEN placement_type IN ({', '.join(repr(t.value) for t in types)}) THEN '{name}'"
    for name, types in CATEGORIES.items()
)

# The årsbørn/spending aggregation of `kpi.evaluate` as SQL: overlap days and spending of the
# placement episodes active in the period, by group × placement type, group × category, group,
# and the same over all groups (GROUPING SETS).
PLACEMENTS_SQL = f"""
WITH keyed AS (
    SELECT
        COALESCE(d."group", 'unknown') AS grp,
        e.child_id,
        e.placement_type,
        CASE {_CATEGORY_SQL} END AS category,
        GREATEST(
            0,
            date_diff('day', GREATEST(e.start_date, $start),
                      LEAST(COALESCE(e.end_date, $stop), $stop))
        ) AS days,
        e.daily_cost
    FROM episodes e
    LEFT JOIN (SELECT DISTINCT ON (child_id) child_id, district FROM children) c
        ON c.child_id = e.child_id
    LEFT JOIN (SELECT DISTINCT ON (district) district, "group" FROM districts) d
        ON d.district = c.district
    WHERE e.placement_type IS NOT NULL
)
SELECT
    grp, category, placement_type,
    GROUPING(grp) AS all_groups, GROUPING(category) AS any_category,
    GROUPING(placement_type) AS any_type,
    SUM(days) AS days, SUM(days * daily_cost) AS spending,
    COUNT(DISTINCT child_id) AS children
FROM keyed
WHERE days > 0
GROUP BY GROUPING SETS (
    (grp, placement_type), (grp, category), (grp), (placement_type), (category), ()
)
"""  # noqa: S608 - only constants are interpolated


def connect(ds: Dataset) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that sees the dataset's frames as tables (through pyarrow)."""
    con = duckdb.connect()
    for name in ("episodes", "children", "districts"):
        con.register(name, getattr(ds, name).to_arrow())
    return con


def duckdb_placements(
    con: duckdb.DuckDBPyConnection, period: Period
) -> dict[str, dict[str, tuple[int, float, int]]]:
    """`placement_table(prepare(ds, "group"), period, None)` computed by DuckDB over the tables
    of `connect(ds)`: group (or TOTAL) → kind → (days, spending, children); only kinds with
    placement days."""
    rows = con.execute(PLACEMENTS_SQL, {"start": period.start, "stop": period.stop}).fetchall()
    out: dict[str, dict[str, tuple[int, float, int]]] = {}
    for grp, category, ptype, all_groups, any_category, any_type, days, spend, n in rows:
        group = TOTAL if all_groups else grp
        kind = ptype if not any_type else category if not any_category else "total"
        out.setdefault(group, {})[kind] = (int(days), float(spend), int(n))
    return out


def polars_placements(ds: Dataset, period: Period) -> dict[str, dict[str, tuple[int, float, int]]]:
    """The same aggregation as `evaluate` computes it: group keys, then the sums."""
    data = prepare(ds, "group")
    table = placement_table(data, period, None)
    names = [*data.groups, TOTAL]
    return {
        name: {kind: v for kind, v in table.row(g).items() if v != (0, 0.0, 0)}
        for g, name in enumerate(names)
        if table.row(g)["total"][0]
    }


def _best(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """Best and mean wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times), sum(times) / len(times)


def agree(
    a: dict[str, dict[str, tuple[int, float, int]]], b: dict[str, dict[str, tuple[int, float, int]]]
) -> bool:
    """Same groups and kinds; equal days and children; spending equal up to summation order."""
    return a.keys() == b.keys() and all(
        a[g].keys() == b[g].keys()
        and all(
            x[0] == y[0] and x[2] == y[2] and abs(x[1] - y[1]) <= 1e-9 * max(1.0, abs(y[1]))
            for x, y in ((a[g][k], b[g][k]) for k in a[g])
        )
        for g in a
    )


def run(
    *,
    children: int,
    requests: int,
    seed: int,
    out: TextIO,
    episodes: int = 1_000_000,
) -> None:
    """Generate the dataset (`episodes` episodes for a tenth as many children), time
    evaluate() and the årsbørn/spending aggregation in Polars and in DuckDB."""
    del children, requests  # sizes of the `pages` benchmark
    n_children = max(1, episodes // 10)
    out.write(
        f"Generating {n_children:,} children with about {episodes:,} episodes over {PERIOD} "
        f"(seed {seed}) …\n"
    )
    started = time.perf_counter()
    ds = generate(n_children, seed)
    out.write(
        f"Generated in {time.perf_counter() - started:.1f} s: {ds.children.height:,} children, "
        f"{ds.cases.height:,} cases, {ds.episodes.height:,} episodes, "
        f"{ds.followups.height:,} follow-ups, {ds.complaints.height:,} complaints; "
        f"{DISTRICTS} districts in {len(GROUPS)} groups, {TEAMS} teams.\n"
    )

    result = evaluate(ds, PERIOD)  # warm-up: not counted
    cpu = time.process_time()
    best, mean = _best(3, lambda: evaluate(ds, PERIOD))
    cpu = (time.process_time() - cpu) / 3
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    total = result.total
    load = os.getloadavg()[0]
    out.write(
        f"evaluate() over the ten years, by group: best of 3 {best:.2f} s, mean {mean:.2f} s, "
        f"CPU time (all threads) {cpu:.2f} s per run; target < 2 s. "
        f"Load average {load:.1f} on {os.cpu_count()} CPUs.\n"
        f"  Peak memory: {rss:,.0f} MiB (target < 2,048 MiB). This is ru_maxrss, the largest "
        f"resident set the process has had so far: the generated data, the evaluations and "
        f"the libraries, not the evaluation alone.\n"
        f"  Placed årsbørn {total.placed_aarsboern.total or 0:,.1f}, spending "
        f"{(total.spending.total or 0) / 1e9:,.2f} bn kr, "
        f"{total.breakdowns.count:,} breakdowns, "
        f"{sum(total.movements.moves.values()):,} moves.\n"
    )
    # evaluate() includes the national key-figure catalogue (keyfigures.py), computed from
    # its prepared frames and timeline: its share of the time.
    data = prepare(ds, "group")
    timeline = step_timeline(data.episodes)
    found = moves(timeline, _day(FIRST), _day(LAST))
    started = time.process_time()
    groups = catalogue_groups(data, PERIOD, "group")
    unknown = data.groups.index(UNKNOWN)
    key_figures_coded(ds, PERIOD, data, groups, unknown, timeline, found, total=TOTAL)
    coded = time.process_time() - started
    out.write(
        f"  Of the CPU time, the key-figure catalogue (key_figures_coded, keyfigures.py) took "
        f"{coded:.2f} s.\n"
    )
    for group_by in ("team", "district"):
        started = time.perf_counter()
        evaluate(ds, PERIOD, group_by=group_by)
        out.write(f"  by {group_by}: {time.perf_counter() - started:.2f} s (one run)\n")

    polars_placements(ds, PERIOD)  # warm-up
    started = time.perf_counter()
    con = connect(ds)
    handed = time.perf_counter() - started
    duckdb_placements(con, PERIOD)  # warm-up
    p_best, _ = _best(3, lambda: polars_placements(ds, PERIOD))
    d_best, _ = _best(3, lambda: duckdb_placements(con, PERIOD))
    same = agree(polars_placements(ds, PERIOD), duckdb_placements(con, PERIOD))
    out.write(
        f"Årsbørn, children and spending by group × placement type and category (best of 3): "
        f"Polars {p_best * 1000:.0f} ms (group keys included), DuckDB SQL {d_best * 1000:.0f} ms "
        f"(the join to the groups included; handing it the frames through pyarrow took "
        f"{handed * 1000:.0f} ms more, once); Polars/DuckDB {p_best / d_best:.2f} "
        f"(target <= 1.5); {'they agree' if same else 'they DISAGREE'}.\n"
    )
