"""Response times of the pages a caseworker and a team leader use all day.

Generates Demo Kommune at the given size, then times GETs of the caseworker's home, case list,
case pages and due list, and the team leader's view and team due list, with the test client
(the whole Django stack, no network). Prints p50 and p95 per page and the target of each
(docs/benchmarks.md); asserts nothing. Paths, not URL names: the pages keep their addresses.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction
from django.test import Client

from trappen.cases.models import Case
from trappen.demo import generator
from trappen.operations.warmup import load_and_freeze
from trappen.organisation.models import User


def quantiles(samples: list[float]) -> tuple[float, float]:
    """The 50th and 95th percentiles."""
    points = statistics.quantiles(samples, n=100, method="inclusive")
    return points[49], points[94]


# Server time per request, p95, single client, PostgreSQL with 10,000 children (F11).
TARGET_MS = {"team leader view": 80.0, "team due list": 80.0}
DEFAULT_TARGET_MS = 50.0


@dataclass
class PageTiming:
    name: str
    url: str
    samples_ms: list[float]
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def target(self) -> float:
        return TARGET_MS.get(self.name, DEFAULT_TARGET_MS)

    @property
    def p50(self) -> float:
        return quantiles(self.samples_ms)[0]

    @property
    def p95(self) -> float:
        return quantiles(self.samples_ms)[1]


def _time(
    client: Client, urls: Callable[[int], str], requests: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each GET. The CPU time is the Django process's own
    (`time.process_time()`: its Python, not the database's), the steadier figure on a machine
    that other work shares."""
    client.get(urls(0))  # warm-up: not counted
    wall, cpu = [], []
    for i in range(requests):
        url = urls(i)
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    return wall, cpu


def time_pages(caseworker: User, team_leader: User, requests: int) -> list[PageTiming]:
    """Time `requests` GETs of each page (at least 2, for the percentiles)."""
    requests = max(2, requests)
    load_and_freeze()  # as trappen.wsgi does in each worker of `trappen serve`
    worker, leader = Client(), Client()
    worker.force_login(caseworker)
    leader.force_login(team_leader)
    cases = list(
        Case.objects.filter(caseworker=caseworker)
        .order_by("-opened_on", "pk")
        .values_list("pk", flat=True)
    )

    def case_url(i: int) -> str:
        return f"/cases/{cases[i % len(cases)]}/"

    def page(name: str, client: Client, path: str) -> PageTiming:
        return PageTiming(name, path, *_time(client, lambda _i: path, requests))

    return [
        page("caseworker home", worker, "/my/"),
        page("case list", worker, "/cases/"),
        PageTiming("case page", f"/cases/<pk>/ over {len(cases)} of the caseworker's cases",
                   *(_time(worker, case_url, requests) if cases else ([], []))),
        page("due list", worker, "/follow-ups/"),
        page("team leader view", leader, "/team/"),
        page("team due list", leader, "/follow-ups/team/"),
    ]  # fmt: skip


def report(timings: list[PageTiming], out: TextIO) -> None:
    width = max(len(t.name) for t in timings)
    for t in timings:
        if len(t.samples_ms) < 2:
            out.write(f"{t.name:<{width}}  (no data)\n")
            continue
        verdict = "met" if t.p95 < t.target else "MISSED"
        cpu50, cpu95 = quantiles(t.cpu_ms) if len(t.cpu_ms) >= 2 else (float("nan"),) * 2
        out.write(
            f"{t.name:<{width}}  p50 {t.p50:7.1f} ms   p95 {t.p95:7.1f} ms   "
            f"target p95 < {t.target:.0f} ms: {verdict}   "
            f"CPU p50 {cpu50:6.1f} ms  p95 {cpu95:6.1f} ms   ({len(t.samples_ms)} GETs: {t.url})\n"
        )


def run(*, children: int, requests: int, seed: int, out: TextIO) -> None:
    """Generate the municipality in the current database, then time the pages."""
    version = ".".join(str(part) for part in connection.get_database_version())
    out.write(f"Database: {connection.display_name} {version} ({connection.vendor})\n")
    out.write(f"Generating Demo Kommune with {children} children …\n")
    started = time.perf_counter()
    with transaction.atomic():
        result = generator.build(children=children, seed=seed)
    generated = time.perf_counter() - started
    open_cases = Case.objects.filter(caseworker=result.caseworker).exclude(status="closed")
    out.write(
        f"Generated in {generated:.1f} s: {sum(result.counts.values())} rows; the caseworker "
        f"has {open_cases.count()} open cases, the team "
        f"{Case.objects.filter(team=result.team_leader.team).exclude(status='closed').count()}.\n"
    )
    out.write(f"Timing {max(2, requests)} GETs per page:\n")
    report(time_pages(result.caseworker, result.team_leader, requests), out)
