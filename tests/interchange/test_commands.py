"""`trappen import` and `trappen export`: output, exit codes, nothing stored on problems."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from trappen.cases.models import Case, Child, Complaint
from trappen.measures.models import Episode

from .conftest import EXAMPLE, changed, write_folder
from .test_read_write import BAD_CELLS, UNKNOWN_REFERENCES


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def failing(*args: str) -> tuple[str, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue(), caught.value


def stored() -> tuple[int, int, int, int]:
    return (Child.objects.count(), Case.objects.count(), Episode.objects.count(),
            Complaint.objects.count())  # fmt: skip


def test_import_prints_a_summary(org, example):
    out = run("import", str(example))
    assert "children.csv: 2 rows" in out
    assert "episodes.csv: 3 rows" in out
    assert "new interventions in the catalogue: 1: Familiebehandling" in out
    assert "new users (inactive): 1: importeret" in out
    assert "Imported." in out
    assert stored() == (2, 2, 3, 1)


def test_a_dry_run_checks_everything_and_stores_nothing(org, example):
    out = run("import", str(example), "--dry-run")
    assert "children.csv: 2 rows" in out and "Dry run" in out
    assert stored() == (0, 0, 0, 0)


def test_problems_are_reported_line_by_line_and_nothing_is_stored(org, tmp_path):
    files = changed("children", "2009-11-02,male", "2009-13-02,boy")
    folder = write_folder(tmp_path / "bad", files)
    out, error = failing("import", str(folder))
    assert error.returncode == 1
    assert "2 problem(s)" in str(error) and "nothing was imported" in str(error)
    assert "children.csv:3: birth_date: no such date: '2009-13-02'" in out.splitlines()
    assert "children.csv:3: sex: 'boy' is not one of: female, male" in out.splitlines()
    assert stored() == (0, 0, 0, 0)


def test_a_database_problem_is_reported_the_same_way(org, example):
    run("import", str(example))
    out, error = failing("import", str(example), "--dry-run")
    assert error.returncode == 1
    assert (
        "cases.csv:2: case_id: 'S-501' is already imported: a case with this id is in the database"
        in out.splitlines()
    )
    assert stored() == (2, 2, 3, 1)


def test_the_exit_code_from_the_command_line(org, tmp_path, monkeypatch, capsys):
    # run_from_argv closes the connections when it ends: keep the test's own.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    folder = write_folder(tmp_path / "bad", {**EXAMPLE, "districts": None})
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["trappen", "import", str(folder)]).execute()
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "districts.csv: file missing" in captured.out
    assert "nothing was imported" in captured.err


def test_export_writes_the_folder_and_refuses_to_overwrite(org, example, tmp_path):
    run("import", str(example))
    target = tmp_path / "out" / "2024"
    out = run("export", str(target))
    assert "children.csv: 2 rows" in out and "complaints.csv: 1 rows" in out
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{t}.csv" for t in EXAMPLE)

    _, error = failing("export", str(target))
    assert "already holds CSV files" in str(error)
    (target / "children.csv").write_text("changed", encoding="utf-8")
    run("export", str(target), "--force")
    assert (target / "children.csv").read_text(encoding="utf-8").startswith("child_id,")


def test_export_into_a_folder_with_other_files(org, tmp_path):
    target = write_folder(tmp_path / "out", {})
    (target / "README.txt").write_text("x", encoding="utf-8")
    run("export", str(target))
    assert (target / "districts.csv").exists()


def test_the_docs_show_the_example_folder(org, tmp_path):
    docs = (Path(__file__).parents[2] / "docs" / "interchange.md").read_text(encoding="utf-8")
    for table, text in EXAMPLE.items():
        assert f"`{table}.csv`:\n\n```csv\n{text}```" in docs, table


@pytest.mark.parametrize(
    ("table", "old", "new", "line", "column"),
    [case[:5] for case in BAD_CELLS + UNKNOWN_REFERENCES],
)
def test_every_malformed_file_is_reported_and_nothing_is_imported(
    db, tmp_path, table, old, new, line, column
):
    folder = write_folder(tmp_path / "bad", changed(table, old, new))
    out, error = failing("import", str(folder))
    assert error.returncode == 1
    prefix = f"{table}.csv:{line}: " + (f"{column}: " if column else "")
    assert [row for row in out.splitlines() if row.startswith(prefix)], out
    assert stored() == (0, 0, 0, 0)
