"""The log is append-only and `trappen audit verify` finds an altered or a deleted entry."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from trappen.audit.log import record
from trappen.audit.models import AppendOnlyError, AuditAction, AuditEntry
from trappen.audit.verify import verify


def verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def chain(org):
    """Some ten entries of different kinds: writes from the fixtures, reads, a login."""
    case = org.case()
    org.client(org.cw1).get(f"/cases/{case.pk}/")
    record(AuditAction.EXPORT, detail={"folder": "export-folder"})
    return list(AuditEntry.objects.order_by("sequence"))


def raw(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back (as someone with database access)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def test_an_untouched_chain_verifies(chain):
    assert len(chain) >= 5
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    result = verify()
    assert (result.count, result.problem) == (len(chain), None)
    assert f"{len(chain)} entries" in verify_command()


def test_an_altered_entry_is_found_with_its_number(chain):
    victim = chain[2]
    raw("UPDATE audit_auditentry SET actor_username = %s WHERE id = %s", ["mallory", victim.pk])
    result = verify()
    assert result.problem is not None
    assert (result.problem.sequence, result.problem.kind) == (victim.sequence, "altered")
    assert result.count == victim.sequence - 1
    with pytest.raises(CommandError, match=f"entry {victim.sequence} was altered") as failed:
        verify_command()
    assert failed.value.returncode == 1


def test_an_altered_detail_is_found(chain):
    victim = chain[-1]
    raw("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ['{"folder": "/"}', victim.pk])
    assert verify().problem.sequence == victim.sequence


def test_a_deleted_entry_is_found(chain):
    victim = chain[3]
    raw("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    result = verify()
    assert (result.problem.sequence, result.problem.kind) == (victim.sequence, "missing")
    with pytest.raises(CommandError, match="missing"):
        verify_command()


def test_an_entry_rehashed_after_a_change_breaks_the_link_to_the_next(chain):
    # Whoever alters an entry and recomputes its hash still breaks the next entry's link.
    victim = chain[1]
    victim.actor_username = "mallory"
    new_hash = victim.compute_hash()
    raw(
        "UPDATE audit_auditentry SET actor_username = %s, hash = %s WHERE id = %s",
        ["mallory", new_hash, victim.pk],
    )
    result = verify()
    assert (result.problem.sequence, result.problem.kind) == (victim.sequence + 1, "broken link")


def test_the_application_cannot_change_or_delete_entries(chain):
    entry = AuditEntry.objects.get(sequence=1)
    entry.actor_username = "mallory"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(sequence=1).update(actor_username="mallory")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert verify().problem is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_itself(chain):
    from django.db import DatabaseError

    for sql in (
        "UPDATE audit_auditentry SET actor_username = 'mallory'",
        "DELETE FROM audit_auditentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.count() == len(chain)
    assert verify().problem is None
