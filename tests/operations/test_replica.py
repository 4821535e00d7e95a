"""The steering's reads go to the read replica when there is one; nothing else does."""

from trappen.cases.models import Case
from trappen.common import replica
from trappen.common.replica import ReplicaRouter, on_replica


def test_reads_go_to_the_replica_only_inside_on_replica(monkeypatch):
    monkeypatch.setattr(replica, "has_replica", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(Case) is None
    with on_replica():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_write(Case) is None  # writes never
    assert router.db_for_read(Case) is None
    assert router.allow_migrate("replica", "cases") is False


def test_without_a_replica_everything_stays_on_default(settings):
    assert "replica" not in settings.DATABASES
    with on_replica():
        assert ReplicaRouter().db_for_read(Case) is None
