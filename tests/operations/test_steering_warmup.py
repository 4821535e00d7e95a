"""`trappen daily` warms the steering's cache; the steering reads the replica when there is one."""

from io import StringIO

from django.core.management import call_command
from django.db import router
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.conftest import placed  # noqa: F401  (the fixture)
from trappen.cases.models import Child
from trappen.common import replica
from trappen.evaluation import limits
from trappen.evaluation.forms import default_period
from trappen.operations.steering import common_queries, is_cached


def _counting(monkeypatch):
    calls = []
    real = limits.compute

    def compute(ds, query):
        calls.append(query)
        return real(ds, query)

    monkeypatch.setattr(limits, "compute", compute)
    return calls


def test_daily_warms_the_cache_so_the_steering_page_computes_nothing(placed, monkeypatch):  # noqa: F811
    calls = _counting(monkeypatch)
    out = StringIO()
    call_command("daily", "--only", "steering cache", stdout=out)
    today = timezone.localdate()
    queries = common_queries(today)
    assert len(calls) == len(queries) >= 6  # two periods by three groupings
    assert f"steering cache: {len(queries)} computed, 0 already cached" in out.getvalue()
    assert all(is_cached(q) for q in queries)
    calls.clear()
    client = placed.client(placed.analyst)
    assert client.get(reverse("evaluation:index")).status_code == 200  # the default period
    period = default_period(today)
    for start, end in (
        (period.start, period.end),
        (f"{today.year - 1}-01-01", f"{today.year - 1}-12-31"),
    ):
        for group_by in ("group", "district", "team"):
            params = {"start": start, "end": end, "group_by": group_by}
            assert client.get(reverse("evaluation:index"), params).status_code == 200
    assert calls == []
    call_command("daily", "--only", "steering cache", stdout=(again := StringIO()))
    assert f"0 computed, {len(queries)} already cached" in again.getvalue()  # idempotent


def test_the_steering_reads_its_data_on_the_replica(placed, monkeypatch):  # noqa: F811
    """With a replica configured, the export the figures come from is read there; the cache,
    the slots and every other read stay on the primary."""
    configured = [False]
    monkeypatch.setattr(replica, "has_replica", lambda: configured[0])
    routed = []
    real_export = limits.dataset_from_database

    def export():
        configured[0] = True
        routed.append(router.db_for_read(Child))
        configured[0] = False
        return real_export()

    monkeypatch.setattr(limits, "dataset_from_database", export)
    client = placed.client(placed.analyst)
    assert client.get(reverse("evaluation:index")).status_code == 200
    assert routed == ["replica"]
    configured[0] = True
    assert router.db_for_read(Child) == "default"  # outside the steering's export
