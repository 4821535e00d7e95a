"""The log is append-only, keyed and anchored: `trappen audit verify` finds an entry altered,
deleted, rewritten and re-signed without the key, and entries cut off the end."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from trappen.audit import log
from trappen.audit.log import record
from trappen.audit.models import (
    GENESIS,
    AppendOnlyError,
    AuditAction,
    AuditCheckpoint,
    AuditEntry,
    sign,
)
from trappen.audit.verify import checkpoint, read_anchors, verify


def verify_command(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def chain(org):
    """Some ten entries of different kinds: writes from the fixtures, reads, an export."""
    case = org.case()
    org.client(org.cw1).get(f"/cases/{case.pk}/")
    record(AuditAction.EXPORT, detail={"folder": "export-folder"})
    return list(AuditEntry.objects.order_by("id"))


def raw(sql: str, params: list[object], table: str = "audit_auditentry") -> None:
    """Change the table behind the application's back, as the owner of the database would."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_an_untouched_chain_verifies(chain):
    assert len(chain) >= 5
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    result = verify()
    assert (result.count, result.problem) == (len(chain), None)
    assert f"{len(chain)} entries checked" in verify_command()


def test_an_altered_entry_is_found_with_its_place(chain):
    victim = chain[2]
    raw("UPDATE audit_auditentry SET actor_username = %s WHERE id = %s", ["mallory", victim.pk])
    result = verify()
    assert result.problem is not None
    assert (result.problem.place, result.problem.kind) == (victim.place, "altered")
    assert result.count == 2
    with pytest.raises(CommandError, match=f"entry {victim.place} was altered") as failed:
        verify_command()
    assert failed.value.returncode == 1


def test_an_altered_detail_is_found(chain):
    victim = chain[-1]
    raw("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ['{"folder": "/"}', victim.pk])
    assert verify().problem.place == victim.place


def test_a_deleted_entry_is_found(chain):
    victim = chain[3]
    raw("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    result = verify()
    assert (result.problem.place, result.problem.kind) == (victim.place, "missing")
    with pytest.raises(CommandError, match="missing"):
        verify_command()


def test_an_entry_rehashed_after_a_change_breaks_the_link_to_the_next(chain):
    victim = chain[1]
    victim.actor_username = "mallory"
    raw(
        "UPDATE audit_auditentry SET actor_username = %s, hash = %s WHERE id = %s",
        ["mallory", victim.compute_hash(), victim.pk],
    )
    result = verify()
    assert (result.problem.place, result.problem.kind) == (chain[2].place, "broken link")


def test_rewrite_and_rehash_of_the_whole_chain_without_the_key_is_found(chain):
    """F6: someone with the database but not the key rewrites an entry and recomputes every
    hash after it (the unkeyed SHA-256 chain said OK to this)."""
    guessed = b"not-the-key"
    prev = GENESIS
    for entry in chain:
        if entry.pk == chain[2].pk:
            entry.actor_username = "mallory"
        entry.prev_hash = prev
        entry.hash = prev = sign(prev, entry.canonical(), guessed)
        raw(
            "UPDATE audit_auditentry SET actor_username = %s, prev_hash = %s, hash = %s "
            "WHERE id = %s",
            [entry.actor_username, entry.prev_hash, entry.hash, entry.pk],
        )
    result = verify(full=True)
    assert (result.problem.place, result.problem.kind) == (chain[0].place, "altered")


def test_entries_cut_off_the_end_are_found(chain):
    """F6: the last entries deleted after a checkpoint leave no gap in the numbers, but the
    checkpoint saw them."""
    verify_command()
    last = chain[-2:]
    raw("DELETE FROM audit_auditentry WHERE id >= %s", [last[0].pk])
    for full in (False, True):
        result = verify(full=full)
        assert result.problem is not None
        assert (result.problem.place, result.problem.kind) == (last[-1].place, "truncated")


def test_a_checkpoint_deleted_from_the_database_is_found_by_the_anchor_file(chain):
    verify_command()
    record(AuditAction.EXPORT, detail={"folder": "later"})
    verify_command()
    assert [a["number"] for a in read_anchors()] == [1, 2]
    raw("DELETE FROM audit_auditcheckpoint WHERE number = 2", [], "audit_auditcheckpoint")
    result = verify()
    assert result.problem.kind == "checkpoint"
    assert "anchor file" in result.problem.message


def test_a_checkpoint_rewritten_without_the_key_is_found(chain):
    verify_command()
    cp = AuditCheckpoint.objects.get()
    cp.heads = {}
    forged = sign(cp.prev_mac, cp.canonical(), b"not-the-key")
    raw(
        "UPDATE audit_auditcheckpoint SET heads = %s, mac = %s WHERE id = %s",
        ["{}", forged, cp.pk],
        "audit_auditcheckpoint",
    )
    assert verify().problem.kind == "checkpoint"


def test_verify_is_incremental_from_the_last_checkpoint(chain):
    first = verify()
    checkpoint(first)
    assert first.count == len(chain)
    record(AuditAction.EXPORT, detail={"folder": "later"})
    again = verify()
    assert (again.count, again.checkpoint, again.problem) == (1, 1, None)
    assert verify(full=True).count == len(chain) + 1


def test_an_entry_altered_before_the_checkpoint_is_found_by_a_full_verify(chain):
    checkpoint(verify())
    victim = chain[1]
    raw("UPDATE audit_auditentry SET source = %s WHERE id = %s", ["x", victim.pk])
    assert verify().problem is None  # not re-read: what the weekly --full run is for
    assert verify(full=True).problem.place == victim.place


def test_each_writer_has_its_own_chain_and_all_verify(org):
    """Writers append without a shared lock: each thread (and process) has its lane."""
    record(AuditAction.EXPORT, detail={"n": 1})
    first = log.lane()
    log._new_lane()
    record(AuditAction.EXPORT, detail={"n": 2})
    record(AuditAction.EXPORT, detail={"n": 3})
    second = log.lane()
    assert first != second
    lanes = dict(AuditEntry.objects.filter(action="export").values_list("detail__n", "lane"))
    assert lanes == {1: first, 2: second, 3: second}
    assert AuditEntry.objects.get(lane=second, sequence=1).prev_hash == GENESIS
    assert verify().problem is None


def test_an_entry_rolled_back_with_its_transaction_leaves_no_gap(org):
    record(AuditAction.EXPORT, detail={"n": 1})
    with pytest.raises(RuntimeError), transaction.atomic():
        record(AuditAction.EXPORT, detail={"n": 2})
        raise RuntimeError
    record(AuditAction.EXPORT, detail={"n": 3})
    assert verify().problem is None


def test_a_deleted_child_index_row_is_found(org):
    cases = [org.case(org.child(cpr)) for cpr in ("0101151234", "0202151234")]
    org.client(org.cw1).get("/cases/")
    entry = AuditEntry.objects.filter(action=AuditAction.READ).exclude(objects_shown=[]).last()
    assert {c.child_id for c in cases} <= {c for _t, _p, c in entry.shown()}
    raw(
        "DELETE FROM audit_auditentrychild WHERE entry_id = %s",
        [entry.pk],
        "audit_auditentrychild",
    )
    assert verify().problem.kind == "index"


def test_the_application_cannot_change_or_delete_entries(chain):
    entry = chain[0]
    entry.actor_username = "mallory"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_username="mallory")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()
    assert verify().problem is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_postgresql_refuses_update_and_delete_itself(org, chain):
    from django.db import DatabaseError

    checkpoint(verify())
    org.case(org.child("0202151234"))
    org.client(org.cw1).get("/cases/")  # an entry with child index rows
    for sql in (
        "UPDATE audit_auditentry SET actor_username = 'mallory'",
        "DELETE FROM audit_auditentry",
        "DELETE FROM audit_auditentrychild",
        "UPDATE audit_auditcheckpoint SET heads = '{}'",
        "DELETE FROM audit_auditcheckpoint",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert verify().problem is None
