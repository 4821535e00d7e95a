"""F6 point 8 (b, c, d, f): what the import refuses or asks to confirm.

- names and ids that start like a formula (`=`, `+`, `-`, `@`) are refused, with file, line and
  column;
- a number that reads as a Danish thousands-grouped integer (`2.332` for 2,332 kr.) is refused,
  never taken as a decimal;
- daily costs outside the plausible range of their placement type or step are listed by the
  dry run and need `--confirm-costs`;
- a file larger than the documented maximum is refused before it is read.
"""

# ruff: noqa: F811  (fixtures imported from the tests' other conftest files)

import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from trappen.core.interchange import InterchangeError, Problem, read_dataset
from trappen.measures.models import Episode

from ..interchange.conftest import EXAMPLE, changed, example, write_folder  # noqa: F401

FAST = settings(max_examples=150, deadline=None)


def problems(folder: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(InterchangeError) as caught:
        read_dataset(folder, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


def run(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


# --- (b) formula names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "old", "new", "column"),
    [
        ("districts", "Nordby,Pilot", '"=HYPERLINK(""http://x"",""y"")",Pilot', "district"),
        ("districts", "Nordby,Pilot,", "Nordby,+Pilot,", "group"),
        ("districts", "Team Nord", "@Team Nord", "team"),
        ("cases", "Team Nord", "-Team Nord", "team"),
        ("cases", "2021-03-01,,anna", "2021-03-01,,=anna", "caseworker"),
        ("episodes", "Familiebehandling", "=1+1", "intervention"),
        ("complaints", "K-1", "=K-1", "complaint_id"),
    ],
)
def test_import_refuses_formula_names(tmp_path, table, old, new, column):
    files = changed(table, old, new)
    if table == "districts" and column == "district":
        files["children"] = EXAMPLE["children"].replace(
            "Nordby", '"=HYPERLINK(""http://x"",""y"")"'
        )
    found = problems(write_folder(tmp_path, files))
    found = [p for p in found if p.column == column and p.file == f"{table}.csv"]
    assert len(found) == 1, found
    assert found[0].file == f"{table}.csv" and found[0].row == 2
    assert "formula" in found[0].message


def test_a_quoted_formula_name_is_text(tmp_path):
    """A leading apostrophe, as trappen's export writes it, keeps the name as text."""
    files = changed("episodes", "Familiebehandling", "'=1+1")
    ds = read_dataset(write_folder(tmp_path, files))
    assert ds.episodes["intervention"].to_list()[0] == "=1+1"


def test_a_name_with_an_apostrophe_keeps_it(tmp_path):
    files = changed("episodes", "Familiebehandling", "'t Hof")
    ds = read_dataset(write_folder(tmp_path, files))
    assert ds.episodes["intervention"].to_list()[0] == "'t Hof"


# --- (c) Danish thousands-grouped numbers ------------------------------------------------------


@pytest.mark.parametrize("cost", ["2.332", "12.500", "1.234.567", "-2.332"])
def test_import_refuses_danish_thousands_grouped_cost(tmp_path, cost):
    files = changed("episodes", "2021-12-31,planned,850", f"2021-12-31,planned,{cost}")
    found = problems(write_folder(tmp_path, files))
    assert [(p.file, p.row, p.column) for p in found] == [("episodes.csv", 2, "daily_cost")]
    assert "thousands" in found[0].message and cost in found[0].message


def test_the_dry_run_does_not_say_no_problems_for_a_grouped_cost(org, tmp_path):
    files = changed("episodes", "2021-12-31,planned,850", "2021-12-31,planned,2.332")
    out, error = run("import", str(write_folder(tmp_path, files)), "--dry-run")
    assert error is not None and error.returncode == 1
    assert "episodes.csv:2: daily_cost:" in out
    assert "no problems found" not in out


def test_a_plain_decimal_cost_is_read(tmp_path):
    files = changed("episodes", "2021-12-31,planned,850", "2021-12-31,planned,2332.50")
    ds = read_dataset(write_folder(tmp_path, files))
    assert ds.episodes["daily_cost"].to_list()[0] == 2332.5


def _with_cost(text: str) -> dict[str, str | bytes | None]:
    return changed("episodes", "2021-12-31,planned,850", f"2021-12-31,planned,{text}")


grouped = st.builds(
    lambda sign, head, groups: sign + str(head) + "".join(f".{g:03d}" for g in groups),
    st.sampled_from(["", "-"]),
    st.integers(1, 999),
    st.lists(st.integers(0, 999), min_size=1, max_size=3),
)


@FAST
@given(text=grouped)
def test_any_danish_grouped_integer_is_refused(text):
    with tempfile.TemporaryDirectory(prefix="f6-") as tmp:
        with pytest.raises(InterchangeError) as caught:
            read_dataset(write_folder(Path(tmp), _with_cost(text)))
        assert [(p.row, p.column) for p in caught.value.problems] == [(2, "daily_cost")]


plain = st.one_of(
    st.integers(0, 10**7).map(str),
    st.decimals(min_value=0, max_value=10**7, places=2).map(lambda d: f"{d:.2f}"),
    st.decimals(min_value=0, max_value=10**7, places=1).map(lambda d: f"{d:.1f}"),
    st.decimals(min_value=0, max_value=999, places=4).map(lambda d: f"{d:.4f}"),
)


@FAST
@given(text=plain)
def test_any_plain_decimal_is_read(text):
    with tempfile.TemporaryDirectory(prefix="f6-") as tmp:
        ds = read_dataset(write_folder(Path(tmp), _with_cost(text)))
    assert ds.episodes["daily_cost"].to_list()[0] == float(text)


# --- (d) implausible daily costs ---------------------------------------------------------------


IMPLAUSIBLE = changed(
    "episodes",
    "F-9003,B-1002,5,residential_institution,Døgninstitution,2019-09-01,2021-08-15,breakdown,3900",
    "F-9003,B-1002,5,residential_institution,Døgninstitution,2019-09-01,2021-08-15,breakdown,3.9",
)


def test_dry_run_lists_implausible_daily_costs(org, tmp_path):
    folder = write_folder(tmp_path, IMPLAUSIBLE)
    out, error = run("import", str(folder), "--dry-run")
    assert error is not None and error.returncode == 1
    assert "episodes.csv:4: daily_cost: 3.9 kr. per day" in out
    assert "residential_institution" in out and "--confirm-costs" in out
    assert "no problems found" not in out
    # The real import refuses them too, and stores nothing …
    out, error = run("import", str(folder))
    assert error is not None and Episode.objects.count() == 0
    # … until they are confirmed.
    out, error = run("import", str(folder), "--dry-run", "--confirm-costs")
    assert error is None and "confirmed" in out and "3.9 kr. per day" in out
    out, error = run("import", str(folder), "--confirm-costs")
    assert error is None
    assert Episode.objects.get(external_id="F-9003").daily_cost == Decimal("3.90")


def test_plausible_costs_need_no_confirmation(org, example):
    out, error = run("import", str(example), "--dry-run")
    assert error is None and "no problems found" in out


def test_the_ranges_are_data_with_a_source():
    from trappen.interchange.costs import plausible_ranges

    ranges = plausible_ranges()
    assert ranges.source
    for placement_type in ("residential_institution", "foster_ordinary", "home_based"):
        low, high = ranges.by_placement_type[placement_type]
        assert 0 < low < high
    assert set(ranges.by_step) == {0, 1, 2, 3, 4, 5}


# --- (f) the size cap ---------------------------------------------------------------------------


def test_import_size_cap(tmp_path):
    folder = write_folder(tmp_path, dict(EXAMPLE))
    sizes = {f.name: f.stat().st_size for f in folder.glob("*.csv")}
    size = max(sizes.values())
    found = problems(folder, max_bytes=size - 1)
    too_large = {p.file for p in found if "too large" in p.message}
    assert too_large and too_large == {n for n, s in sizes.items() if s == size}, found
    read_dataset(folder, max_bytes=size)  # at the cap: read


def test_import_size_cap_is_documented_and_set(org, tmp_path, settings):
    from trappen.core.interchange import MAX_FILE_BYTES

    assert MAX_FILE_BYTES >= 50 * 2**20
    docs = (Path(__file__).parents[2] / "docs" / "interchange.md").read_text(encoding="utf-8")
    assert f"{MAX_FILE_BYTES // 2**20} MB" in docs
    settings.TRAPPEN_IMPORT_MAX_FILE_MB = 0.0001  # about 100 bytes
    out, error = run("import", str(write_folder(tmp_path, dict(EXAMPLE))), "--dry-run")
    assert error is not None and "episodes.csv: file too large" in out


def test_a_big_file_is_read_line_by_line(tmp_path):
    """Many rows read right, with exact lines for a problem near the end."""
    rows = [EXAMPLE["children"].splitlines()[0]]
    rows += [f"B-{n},2012-04-17,female,Nordby" for n in range(20000)]
    rows.append("B-x,2012-13-01,female,Nordby")
    files = {**EXAMPLE, "children": "\r\n".join(rows) + "\r\n"}
    found = problems(write_folder(tmp_path, files))
    assert ("children.csv", 20002, "birth_date") in [(p.file, p.row, p.column) for p in found]


def test_old_mac_line_endings_are_still_read(tmp_path):
    files = {**EXAMPLE, "children": EXAMPLE["children"].replace("\n", "\r")}
    ds = read_dataset(write_folder(tmp_path, files))
    assert ds.children["child_id"].to_list() == ["B-1001", "B-1002"]


def test_a_bad_byte_names_its_line_in_a_streamed_file(tmp_path):
    text = EXAMPLE["children"] + "".join(f"B-{n},2012-04-17,female,Nordby\n" for n in range(9000))
    data = text.encode() + b"B-\xff,2012-04-17,female,Nordby\n"
    found = problems(write_folder(tmp_path, {**EXAMPLE, "children": data}))
    assert [(p.file, p.row) for p in found] == [("children.csv", 9004)]
