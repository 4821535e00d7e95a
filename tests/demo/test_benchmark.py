"""The page benchmark prints percentiles (timings are never asserted)."""

from contextlib import nullcontext
from io import StringIO

from django.core.management import call_command

from trappen.demo.management.commands import benchmark


def test_the_pages_benchmark_prints_p50_and_p95(db, monkeypatch):
    # The test database is already fresh: run the benchmark in it instead of a new one.
    monkeypatch.setattr(benchmark, "fresh_database", nullcontext)
    out = StringIO()
    call_command("benchmark", "pages", "--children", "60", "--requests", "2", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "p50" in line and "p95" in line]
    pages = ["caseworker home", "case list", "case page", "due list", "team leader view"]
    assert [line.split("  ")[0] for line in lines] == [*pages, "team due list"], out.getvalue()
    assert all("target p95 <" in line for line in lines)
