"""Writing the interchange tables through the API: the same checks, report and transaction
as `trappen import`, all or nothing, with a dry run, audited like the command."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.interchange.conftest import EXAMPLE, changed, write_folder
from trappen.api.models import Scope
from trappen.audit.models import AuditAction
from trappen.cases.models import Case, Child
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode

from .conftest import Api, entries_since, last_pk, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(org):
    """The account the municipality's data warehouse imports as."""
    return org.user("lager", "", None)


@pytest.fixture
def api(system):
    return Api(token_for(system, Scope.WRITE_INTERCHANGE))


def post(api, tables, **flags):
    return api.post("interchange/import", {"tables": tables, **flags})


def counts():
    return [m.objects.count() for m in (Child, Case, Episode, FollowUp)]


def command_report(tmp_path, tables):
    """What `trappen import` prints for the same files: the problem lines."""
    folder = write_folder(tmp_path / "same", dict(tables))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(folder), stdout=out)
    steps = ("Reading ", "Checking and importing …")
    return [line for line in out.getvalue().splitlines() if not line.startswith(steps)]


def test_import_all_six_tables(org, api, system):
    before = last_pk()
    response = post(api, dict(EXAMPLE))
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["imported"], data["dry_run"]) == (True, False)
    assert data["rows"]["children"] == 2 and data["rows"]["episodes"] == 3
    assert "children.csv: 2 rows" in data["report"]
    assert counts() == [2, 2, 3, 2]
    assert Child.objects.filter(external_id="B-1001").exists()
    [entry] = entries_since(before, AuditAction.IMPORT)
    assert entry.actor == system
    assert entry.detail["rows"]["episodes.csv"] == 3
    assert entry.detail["source"] == "api"
    assert entry.url_name == "api:interchange_import"


def test_a_bad_row_imports_nothing_and_gives_the_import_report(org, api, tmp_path):
    tables = changed("episodes", "2021-05-01,2021-12-31", "2021-05-01,2021-02-30")
    response = post(api, tables)
    assert response.status_code == 400
    data = response.json()
    assert data["imported"] is False and data["count"] >= 1
    problem = data["problems"][0]
    assert (problem["file"], problem["row"], problem["column"]) == ("episodes.csv", 2, "end_date")
    assert data["report"][:-1] == command_report(tmp_path, tables)
    assert data["report"][-1] == f"{data['count']} problem(s): nothing was imported."
    assert counts() == [0, 0, 0, 0]


def test_what_only_the_database_can_tell_is_reported_too(org, api, tmp_path):
    assert post(api, dict(EXAMPLE)).status_code == 200
    before = last_pk()
    again = post(api, dict(EXAMPLE))
    assert again.status_code == 400
    assert any("is already imported" in line for line in again.json()["report"])
    assert again.json()["report"][:-1] == command_report(tmp_path, EXAMPLE)
    assert counts() == [2, 2, 3, 2]
    assert entries_since(before, AuditAction.IMPORT) == []


def test_a_missing_table_is_reported_as_a_missing_file(org, api):
    tables = {k: v for k, v in EXAMPLE.items() if k != "cases"}
    response = post(api, tables)
    assert response.status_code == 400
    assert "cases.csv: file missing" in response.json()["report"]


def test_a_dry_run_checks_everything_and_stores_nothing(org, api):
    before = last_pk()
    response = post(api, dict(EXAMPLE), dry_run=True)
    assert response.status_code == 200
    assert (response.json()["imported"], response.json()["dry_run"]) == (False, True)
    assert counts() == [0, 0, 0, 0]
    assert entries_since(before) == []


def test_files_in_a_multipart_form(org, system):
    api = Api(token_for(system, Scope.WRITE_INTERCHANGE))
    files = {
        t: SimpleUploadedFile(f"{t}.csv", text.encode(), content_type="text/csv")
        for t, text in EXAMPLE.items()
    }
    response = api.client.post(
        "/api/v1/interchange/import-files", {**files, "dry_run": "false"}, headers=api.headers
    )
    assert response.status_code == 200, response.content
    assert counts() == [2, 2, 3, 2]


def test_unknown_tables_are_refused(org, api):
    response = post(api, {**EXAMPLE, "journal": "a,b\n1,2\n"})
    assert response.status_code == 422
    assert counts() == [0, 0, 0, 0]


def test_writing_needs_the_write_scope_and_is_audited(org, system):
    api = Api(token_for(system, Scope.READ_CASES, Scope.READ_STEERING))
    before = last_pk()
    response = post(api, dict(EXAMPLE))
    assert response.status_code == 403
    assert counts() == [0, 0, 0, 0]
    [entry] = entries_since(before)
    assert (entry.action, entry.detail["refused"], entry.detail["scope"]) == (
        AuditAction.IMPORT,
        "scope",
        "write:interchange",
    )


def test_a_body_too_large_for_memory_points_to_the_files_endpoint(org, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(api, {**EXAMPLE, "children": EXAMPLE["children"] * 20})
    assert response.status_code == 413
    assert "import-files" in response.json()["detail"]
