"""sdq.csv: read, checked and imported all or nothing, exported back (docs/wellbeing.md)."""

from pathlib import Path

import pytest

from trappen.core.interchange import InterchangeError, read_dataset
from trappen.interchange.services import export_dataset, import_dataset
from trappen.wellbeing.models import SdqMeasurement

from .conftest import EXAMPLE, changed, write_folder


def problems(tmp_path: Path, files) -> list[str]:
    with pytest.raises(InterchangeError) as caught:
        read_dataset(write_folder(tmp_path / "data", files))
    return [str(p) for p in caught.value.problems]


def test_the_example_reads_with_its_answers(tmp_path):
    ds = read_dataset(write_folder(tmp_path / "data", dict(EXAMPLE)))
    assert ds.sdq.height == 3
    assert ds.sdq["informant"].to_list() == ["parent", "teacher", "self"]
    assert ds.sdq["item_5"].to_list() == [1, 1, None]
    assert ds.sdq["impact_home"].to_list() == [2, None, None]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("parent,1,2", "parent,3,2", "sdq.csv:2: item_1: '3' is not an answer"),
        ("2021-06-01,parent,", "2021-06-01,mother,", "sdq.csv:2: informant: 'mother' is not"),
        ("B-1001,2021-06-01", "B-1001,2011-06-01", "sdq.csv:2: date: date 2011-06-01 is before"),
        ("B-1001,2021-06-01", "B-1001,2099-06-01", "sdq.csv:2: date: date 2099-06-01 is in the f"),
        ("2021-03-01,self", "2020-10-01,self", "sdq.csv:4: date: the child is 10 on that day"),
        ("2022-06-01,teacher,", "2021-06-01,parent,", "sdq.csv:3: a second parent SDQ of child"),
        ("Q-3,B-1002", "Q-3,B-9999", "sdq.csv:4: child_id: 'B-9999' is not in children.csv"),
        ("Q-2,", "Q-1,", "sdq.csv:3: sdq_id: duplicate id 'Q-1'"),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_by_line_and_column(tmp_path, old, new, expected):
    found = problems(tmp_path, changed("sdq", old, new))
    assert any(p.startswith(expected) for p in found), found


def test_an_impact_question_the_informant_is_not_asked_is_refused(tmp_path):
    header, parent, teacher, *rest = EXAMPLE["sdq"].splitlines()
    teacher = teacher[: -len(",0,,,,,,")] + ",1,1,2,,,,"  # a teacher's impact_home
    found = problems(
        tmp_path, {**EXAMPLE, "sdq": "\n".join([header, parent, teacher, *rest]) + "\n"}
    )
    assert any("sdq.csv:3: impact_home: not an impact question of the teacher" in p for p in found)


def test_a_missing_item_column_is_refused(tmp_path):
    lines = EXAMPLE["sdq"].replace(",item_25,", ",item_26,")
    found = problems(tmp_path, {**EXAMPLE, "sdq": lines})
    assert any("item_26: unknown column" in p for p in found)
    assert any("item_25: column missing" in p for p in found)


def test_the_file_may_be_left_out_and_then_nothing_is_there(tmp_path):
    ds = read_dataset(write_folder(tmp_path / "data", {**EXAMPLE, "sdq": None}))
    assert ds.sdq.height == 0


@pytest.mark.django_db
def test_import_stores_the_scores_and_export_gives_the_file_back(org, tmp_path):
    import_dataset(read_dataset(write_folder(tmp_path / "data", dict(EXAMPLE))))
    parent = SdqMeasurement.objects.get(external_id="Q-1")
    assert parent.child.external_id == "B-1001" and parent.case.external_id == "S-501"
    # Items 1-25 repeat 1,2,0,1,1: emotional 0+2+1+1+1 → check against the engine itself.
    assert (
        parent.total_difficulties
        == parent.emotional + parent.conduct + parent.hyperactivity + parent.peer
    )
    assert parent.impact_answers == {
        "difficulties": 1,
        "distress": 1,
        "home": 2,
        "friendships": 0,
        "learning": 1,
        "leisure": 0,
    }
    selfreport = SdqMeasurement.objects.get(external_id="Q-3")
    assert selfreport.case is not None and selfreport.impact_answers is None
    out = tmp_path / "out"
    from trappen.core.interchange import write_dataset

    write_dataset(export_dataset(), out)
    assert (out / "sdq.csv").read_text(encoding="utf-8") == EXAMPLE["sdq"]


@pytest.mark.django_db
def test_a_bad_sdq_row_stops_the_whole_import(org, tmp_path):
    folder = write_folder(
        tmp_path / "data", changed("sdq", "2021-06-01,parent,1,2", "2021-06-01,parent,7,2")
    )
    with pytest.raises(InterchangeError):
        import_dataset(read_dataset(folder))
    assert not SdqMeasurement.objects.exists()


def test_a_row_with_too_few_or_too_many_answers_is_refused_by_line(tmp_path):
    header, parent, *rest = EXAMPLE["sdq"].splitlines()
    cells = parent.split(",")
    short = ",".join(cells[:4] + cells[5:])  # item_1 left out: every later answer shifts
    long = ",".join(cells + ["1"])
    for row in (short, long):
        found = problems(tmp_path, {**EXAMPLE, "sdq": "\n".join([header, row, *rest]) + "\n"})
        assert any(p.startswith("sdq.csv:2") for p in found), (row, found)
