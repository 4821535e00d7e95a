"""`trappen daily`: a summary line per job, and a non-zero exit when one fails."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from trappen.audit.log import record
from trappen.audit.models import AuditAction, AuditCheckpoint
from trappen.audit.verify import read_anchors


def daily() -> str:
    out = StringIO()
    call_command("daily", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_daily_verifies_and_anchors_the_audit_log_and_reports_retention(org):
    record(AuditAction.EXPORT, detail={"folder": "x"})
    output = daily()
    assert "audit: OK: audit log intact" in output
    assert "retention (dry run):" in output
    assert "daily: all jobs done" in output
    assert AuditCheckpoint.objects.count() == 1 and len(read_anchors()) == 1
    daily()  # idempotent: another checkpoint, nothing else changes
    assert AuditCheckpoint.objects.count() == 2


def test_daily_exits_non_zero_when_the_audit_log_is_broken(org):
    entry = record(AuditAction.EXPORT, detail={"folder": "x"})
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE audit_auditentry SET source = 'x' WHERE id = %s", [entry.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
    errors = StringIO()
    with pytest.raises(CommandError, match="audit") as failed:
        call_command("daily", stdout=StringIO(), stderr=errors)
    assert failed.value.returncode == 1
    assert "audit: FAILED" in errors.getvalue()
