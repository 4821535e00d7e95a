"""The investment case's Monte Carlo (F13): 10,000 runs × 60 months for a 10,000-child
municipality.

Generates the seeded dataset of the `evaluate` benchmark (NumPy and Polars, no database) for
`children` children, estimates the chain on its latest 24 months (`chain.estimate`), then
times `montecarlo.simulate` of the Herning scenario shipped with trappen: 10,000 runs of the
baseline and the scenario over 5 years (60 months), and its summary. Peak memory of the
simulation alone is measured with tracemalloc (NumPy reports its buffers to it) in a separate
run, so the timing is not slowed by tracing. Target: < 2 s on the 2-core development machine.
Prints; asserts nothing (tests/core/simulation checks the results).
"""

import os
import resource
import time
import tracemalloc
from pathlib import Path
from typing import TextIO

import trappen.core.simulation as package
from benchmarks.evaluate import generate
from trappen.core.simulation.chain import estimate, latest_window
from trappen.core.simulation.montecarlo import simulate
from trappen.core.simulation.scenario import parse_scenario

RUNS, YEARS = 10_000, 5
SCENARIO = Path(package.__file__).parent / "scenarios" / "herning-model.toml"


def run(*, children: int, requests: int, seed: int, out: TextIO) -> None:
    del requests  # a size of the `pages` benchmark
    out.write(f"Generating {children:,} children (seed {seed}) …\n")
    started = time.perf_counter()
    ds = generate(children, seed)
    out.write(
        f"Generated in {time.perf_counter() - started:.1f} s: {ds.children.height:,} children, "
        f"{ds.cases.height:,} cases, {ds.episodes.height:,} episodes.\n"
    )
    window = latest_window(ds)
    started = time.perf_counter()
    est = estimate(ds, window)
    estimated = time.perf_counter() - started
    out.write(
        f"Estimated the chain on {window} in {estimated:.2f} s: {len(est.groups)} groups × "
        f"4 age bands, {int(est.counts.sum()):,} transitions, {int(est.entries.sum()):,} "
        f"entries, {est.start.sum():,.0f} children active at the start.\n"
    )
    scenario = parse_scenario(SCENARIO.read_text(encoding="utf-8"))
    simulate(est, scenario, years=1, runs=100, seed=seed)  # warm-up: not counted
    times, cpu = [], time.process_time()
    for _ in range(3):
        started = time.perf_counter()
        sim = simulate(est, scenario, years=YEARS, runs=RUNS, seed=seed)
        summary = sim.summary()
        times.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu) / 3

    tracemalloc.start()
    simulate(est, scenario, years=YEARS, runs=RUNS, seed=seed).summary()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    last = summary["years"][-1]
    out.write(
        f"simulate() + summary, {RUNS:,} runs × {12 * YEARS} months, baseline and scenario: "
        f"best of 3 {min(times):.2f} s, mean {sum(times) / 3:.2f} s, CPU time (all threads) "
        f"{cpu:.2f} s per run; target < 2 s. Load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs.\n"
        f"  Peak memory of one simulation (tracemalloc): {peak / 2**20:,.0f} MiB; the "
        f"process's largest resident set so far (ru_maxrss, data generation included): "
        f"{rss:,.0f} MiB.\n"
        f"  Year {YEARS}: net saving median {last['net_saving']['median'] / 1e6:,.1f} mio. kr "
        f"(80 % {last['net_saving']['low'] / 1e6:,.1f} – {last['net_saving']['high'] / 1e6:,.1f}); "
        f"break-even year {summary['break_even']['year']}.\n"
    )
