"""F6 point 2 and 3: an audit log an insider cannot rewrite, and every read audited whatever the
status. F11 point 7: one READ entry per request, still answering "who has seen this child"."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from trappen.audit.keys import require_production_key
from trappen.audit.log import record
from trappen.audit.models import AuditAction, AuditEntry
from trappen.audit.verify import verify
from trappen.intake import services as intake


def _reads_since(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=before, action=AuditAction.READ))


def _last() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def notification(org):
    case = org.case()
    return intake.register(
        cpr=case.child.cpr,
        first_name="",
        last_name="",
        district=None,
        received_at=timezone.now(),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )


def test_status_400_on_the_assessment_form_is_audited(org, notification):
    """An empty POST re-renders the child's name and the notification text with status 400:
    that is a look at the case and is logged."""
    before = _last()
    response = org.client(org.cw1).post(f"/notifications/{notification.pk}/assess/", {})
    assert response.status_code == 400
    [entry] = _reads_since(before)
    assert (entry.object_type, entry.object_pk) == ("intake.notification", str(notification.pk))
    assert (entry.actor, entry.status) == (org.cw1, 400)


def test_status_400_on_the_assignment_form_is_audited(org):
    new_child = intake.register(
        cpr="0505151234",
        first_name="Ny",
        last_name="Barn",
        district=org.d_north,
        received_at=timezone.now(),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )
    before = _last()
    response = org.client(org.leader).post(f"/notifications/{new_child.pk}/assign/", {})
    assert response.status_code == 400
    [entry] = _reads_since(before)
    assert (entry.object_pk, entry.status) == (str(new_child.pk), 400)


def test_status_400_on_the_investigation_forms_is_audited(org):
    from trappen.investigations import services as investigations

    case = org.case()
    inv = investigations.start(case, started_on=timezone.localdate(), by=org.cw1)
    before = _last()
    response = org.client(org.cw1).post(f"/investigations/{inv.pk}/network/", {})
    assert response.status_code == 400
    [entry] = _reads_since(before)
    assert entry.child_pk == case.child_id and entry.status == 400


def test_a_list_page_writes_one_entry_that_still_answers_who_has_seen_each_child(org):
    cases = [org.case(org.child(cpr)) for cpr in ("0101151234", "0202151234", "0303151234")]
    before = _last()
    assert org.client(org.cw1).get("/cases/").status_code == 200
    [entry] = _reads_since(before)
    assert {c for _t, _p, c in entry.shown()} >= {c.child_id for c in cases}
    for case in cases:
        assert AuditEntry.objects.about_child(case.child_id).filter(pk=entry.pk).exists()
    assert verify().problem is None


def test_production_refuses_to_start_without_the_audit_key(settings):
    settings.DEBUG = False
    settings.TRAPPEN_AUDIT_KEY_SOURCE = "file"
    with pytest.raises(ImproperlyConfigured, match="TRAPPEN_AUDIT_KEY"):
        require_production_key()
    settings.TRAPPEN_AUDIT_KEY_SOURCE = "environment"
    require_production_key()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")
def test_app_role_cannot_disable_the_trigger_or_truncate(org):
    """The application connects as a role that does not own the audit tables: it may add and
    read entries, and cannot change, delete, truncate or switch the triggers off."""
    from django.db import DatabaseError

    from trappen.audit.roles import grant_app_role

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'trappen_app_test'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE ROLE trappen_app_test NOLOGIN")
    grant_app_role("trappen_app_test")
    org.client(org.cw1).get("/cases/")  # something to read
    refused = [
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "TRUNCATE audit_auditentry",
        "UPDATE audit_auditentry SET source = 'x'",
        "DELETE FROM audit_auditentry",
        "DELETE FROM audit_auditcheckpoint",
        "DROP TABLE audit_auditentry",
    ]
    for sql in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE trappen_app_test")
            cursor.execute(sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE trappen_app_test")
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM cases_case")
        record(AuditAction.EXPORT, detail={"as": "app role"})  # appending is allowed
        cursor.execute("RESET ROLE")
    assert verify().problem is None
