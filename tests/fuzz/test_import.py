"""The CSV import with hostile cells: the reader fails only with InterchangeError naming the
file, line and column; `trappen import` then stores nothing."""

import csv
import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.interchange import InterchangeError, read_dataset

from ..interchange.conftest import EXAMPLE, write_folder
from .rows import row_counts
from .strategies import FUZZ, hostile_date, hostile_number, hostile_text

TABLES = sorted(EXAMPLE)


@st.composite
def hostile_folders(draw: st.DrawFn) -> tuple[dict[str, str], str, int, int]:
    """The example folder with one to three cells replaced by hostile values."""
    files = dict(EXAMPLE)
    first = None
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(TABLES))
        rows = list(csv.reader(io.StringIO(files[table])))
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = draw(st.one_of(hostile_text, hostile_date, hostile_number))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        files[table] = out.getvalue()
        first = first or (table, r, c)
    assert first is not None
    return files, *first  # type: ignore[return-value]


@FUZZ
@given(case=hostile_folders())
def test_hostile_cells_fail_only_with_interchange_error_naming_where(case):
    files, table, row, column = case
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        try:
            read_dataset(write_folder(Path(tmp), files))
        except InterchangeError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file in {f"{t}.csv" for t in TABLES}, problem
                assert problem.message.strip(), problem
                # Only a broken header or file has no line; a bad cell always has one.
                if problem.row is None:
                    assert row == 0 or problem.column is None, problem
            report = "\n".join(error.report())
            assert "\x00" not in report  # what was read is quoted, not echoed raw


def test_every_problem_of_a_bad_cell_names_its_file_line_and_column():
    files = dict(EXAMPLE)
    files["children"] = files["children"].replace("2009-11-02", "<script>\x00", 1)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        try:
            read_dataset(write_folder(Path(tmp), files))
        except InterchangeError as error:
            problems = [(p.file, p.row, p.column) for p in error.problems]
        else:
            raise AssertionError("a hostile birth date was read")
    assert ("children.csv", 3, "birth_date") in problems


def test_hostile_import_stores_nothing_or_everything(org):
    @FUZZ
    @given(case=hostile_folders())
    def check(case: tuple[dict[str, str], str, int, int]) -> None:
        files = case[0]
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            folder = write_folder(Path(tmp), files)
            before = row_counts()
            out = io.StringIO()
            # Each example starts from the same database: undo a successful import.
            with transaction.atomic():
                try:
                    call_command("import", str(folder), stdout=out, stderr=io.StringIO())
                except CommandError as error:
                    assert "nothing was imported" in str(error)
                    assert row_counts() == before
                    assert out.getvalue().strip()
                else:
                    assert "Imported." in out.getvalue()
                transaction.set_rollback(True)

    check()
