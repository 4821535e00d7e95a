"""Logins, failed logins, writes with the changed field names, imports and exports."""

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from trappen.audit.models import AuditAction, AuditEntry
from trappen.cases.models import JournalEntry

from ..conftest import PASSWORD
from .conftest import last_sequence


def new_entries(before: int, action: str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(pk__gt=before)
    return list(entries.filter(action=action) if action else entries)


def test_login_logout_and_failed_login_are_recorded_without_the_password(org):
    client = Client()
    before = last_sequence()
    bad = client.post(reverse("login"), {"username": "anna", "password": "wrong-password"})
    assert bad.status_code == 200
    tried = client.post(reverse("login"), {"username": "0101151234", "password": "x"})
    assert tried.status_code == 200
    client.post(reverse("login"), {"username": "anna", "password": PASSWORD})
    client.post(reverse("logout"))
    entries = new_entries(before)
    assert [e.action for e in entries] == [
        AuditAction.LOGIN_FAILED,
        AuditAction.LOGIN_FAILED,
        AuditAction.LOGIN,
        AuditAction.LOGOUT,
    ]
    failed, cpr_tried, login, logout = entries
    assert failed.detail["username"] == "anna"
    assert failed.object_pk == str(org.cw1.pk)
    assert failed.actor is None
    assert "0101151234" not in str(cpr_tried.detail)
    assert (login.actor, logout.actor) == (org.cw1, org.cw1)
    assert login.path == reverse("login")
    everything = " ".join(str(e.detail) for e in entries)
    assert "wrong-password" not in everything and PASSWORD not in everything


def test_a_write_records_the_changed_field_names_not_the_values(world):
    client = world.org.client(world.cw1)
    before = last_sequence()
    response = client.post(
        reverse("cases:journal_add", args=[world.case.pk]),
        {"heading": "meeting", "text": "Hemmelig journaltekst"},
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    created = new_entries(before, AuditAction.CREATE)
    assert [(e.object_type, e.object_pk) for e in created] == [
        ("cases.journalentry", str(entry.pk))
    ]
    assert (created[0].actor, created[0].child_pk) == (world.cw1, world.case.child.pk)
    assert created[0].path == reverse("cases:journal_add", args=[world.case.pk])

    before = last_sequence()
    child = world.case.child
    child.first_name, child.cpr = "Nyt", "0202151234"
    child.save()
    (update,) = new_entries(before, AuditAction.UPDATE)
    assert update.detail == {"fields": ["cpr", "first_name"]}
    assert update.source == "system" and update.actor is None
    assert "0202151234" not in str(update.detail) and "Nyt" not in str(update.detail)

    before = last_sequence()
    child.save()  # nothing changed: nothing to log
    assert new_entries(before) == []

    before = last_sequence()
    pk = entry.pk
    entry.delete()
    (deleted,) = new_entries(before, AuditAction.DELETE)
    assert (deleted.object_pk, deleted.child_pk) == (str(pk), child.pk)


def test_an_import_is_one_summary_entry_attributed_to_the_command(world, tmp_path):
    call_command("export", str(tmp_path / "out"), stdout=StringIO())
    (export,) = new_entries(0, AuditAction.EXPORT)
    assert export.source == "command export"
    assert export.detail["folder"] == str(tmp_path / "out")
    assert export.detail["rows"]["cases.case"] == 1

    from trappen.demo import generator

    _wipe_case_data(generator)
    before = last_sequence()
    call_command("import", str(tmp_path / "out"), "--dry-run", stdout=StringIO())
    assert new_entries(before) == []  # stored nothing, so nothing to log
    call_command("import", str(tmp_path / "out"), stdout=StringIO())
    entries = new_entries(before)
    assert [e.action for e in entries] == [AuditAction.IMPORT]
    summary = entries[0]
    assert summary.source == "command import"
    assert summary.detail["rows"]["cases.case"] == 1
    assert summary.detail["rows"]["cases.child"] == 1


def _wipe_case_data(generator) -> None:  # type: ignore[no-untyped-def]
    for model in generator.wiped_models():
        if model._meta.app_label != "audit":
            model._base_manager.all().delete()


def test_the_steering_workbook_download_is_recorded(org):
    before = last_sequence()
    response = org.client(org.analyst).get(reverse("evaluation:workbook"))
    assert response.status_code == 200
    (download,) = new_entries(before, AuditAction.DOWNLOAD)
    assert download.actor == org.analyst
    assert download.detail["file"].endswith(".xlsx")


def test_an_evaluation_workbook_from_the_database_is_an_export(world, tmp_path):
    target = tmp_path / "figures.xlsx"
    before = last_sequence()
    call_command(
        "evaluate",
        "db",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--xlsx",
        str(target),
        stdout=StringIO(),
    )
    assert target.exists()
    (export,) = new_entries(before, AuditAction.EXPORT)
    assert (export.source, export.detail["xlsx"]) == ("command evaluate", str(target))
