"""core.interchange: reading and writing the folder of CSV files, without a database."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from trappen.core.dataset import Dataset
from trappen.core.interchange import (
    MAX_PROBLEMS,
    InterchangeError,
    Problem,
    equal,
    read_dataset,
    write_dataset,
)

from .conftest import EXAMPLE, changed, write_folder


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(InterchangeError) as caught:
        read_dataset(folder)
    return caught.value.problems


def only_problem(tmp_path: Path, files: dict[str, str | bytes | None]) -> Problem:
    found = problems_of(write_folder(tmp_path / "data", files))
    assert len(found) == 1, found
    return found[0]


def test_the_example_reads_into_the_dataset_schema(example):
    ds = read_dataset(example)
    assert ds.children["child_id"].to_list() == ["B-1001", "B-1002"]
    assert ds.cases["closed"].to_list() == [None, date(2022, 1, 31)]
    assert ds.cases["caseworker"].to_list() == ["anna", None]
    assert ds.episodes["step"].dtype == pl.Int8
    assert ds.episodes["daily_cost"].to_list() == [850.0, 1450.5, 3900.0]
    assert ds.episodes["placement_type"].to_list() == [
        None,
        "foster_ordinary",
        "residential_institution",
    ]
    assert ds.followups["child_conversation"].to_list() == [True, False]
    assert ds.complaints["date"].to_list() == [date(2020, 2, 11)]


def test_write_then_read_gives_the_same_dataset(example, tmp_path):
    ds = read_dataset(example)
    write_dataset(ds, tmp_path / "out")
    assert equal(read_dataset(tmp_path / "out"), ds)


def test_writing_the_example_gives_its_files_back(example, tmp_path):
    write_dataset(read_dataset(example), tmp_path / "out")
    for table, text in EXAMPLE.items():
        written = (tmp_path / "out" / f"{table}.csv").read_text(encoding="utf-8")
        assert written.replace("\r\n", "\n") == text, table


def test_written_files_have_the_schema_header_iso_dates_and_plain_numbers(tmp_path):
    ds = Dataset.from_frames(
        {
            "episodes": pl.DataFrame(
                {
                    "episode_id": ["e"],
                    "child_id": ["c"],
                    "step": [3],
                    "placement_type": ["foster_network"],
                    "intervention": ["Netværksplejefamilie"],
                    "start_date": [date(2020, 1, 2)],
                    "daily_cost": [1200.0],
                }
            ),
        }
    )
    write_dataset(ds, tmp_path)
    lines = (tmp_path / "episodes.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "episode_id,child_id,step,placement_type,intervention,start_date,end_date,end_reason,"
        "daily_cost",
        "e,c,3,foster_network,Netværksplejefamilie,2020-01-02,,,1200",
    ]
    assert (tmp_path / "districts.csv").read_bytes() == b"district,group,team\r\n"


def test_optional_files_may_be_missing(tmp_path):
    files = {**EXAMPLE, "followups": None, "complaints": None}
    ds = read_dataset(write_folder(tmp_path / "data", files))
    assert ds.followups.height == 0 and ds.complaints.height == 0


def test_optional_columns_may_be_missing(tmp_path):
    files = {
        **EXAMPLE,
        "districts": "district,group\nNordby,Pilot\nSydby,Øvrige\n",
        "cases": "case_id,child_id,team,opened,closed\n"
        "S-501,B-1001,Team Nord,2021-03-01,\nS-502,B-1002,Team Syd,2019-06-10,2022-01-31\n",
    }
    ds = read_dataset(write_folder(tmp_path / "data", files))
    assert ds.districts["team"].to_list() == [None, None]
    assert ds.cases["caseworker"].to_list() == [None, None]


def test_a_bom_and_spaces_around_cells_and_blank_lines_are_ignored(tmp_path):
    files = changed(
        "children", "B-1002,2009-11-02,male,Sydby", "\n  B-1002 , 2009-11-02,male,Sydby"
    )
    data = {k: v for k, v in files.items()}
    data["children"] = b"\xef\xbb\xbf" + str(files["children"]).encode()
    ds = read_dataset(write_folder(tmp_path / "data", data))
    assert ds.children["child_id"].to_list() == ["B-1001", "B-1002"]


def test_semicolon_separated_files_from_a_danish_spreadsheet_are_read(tmp_path):
    files = {**EXAMPLE, "children": EXAMPLE["children"].replace(",", ";")}
    ds = read_dataset(write_folder(tmp_path / "data", files))
    assert ds.children["district"].to_list() == ["Nordby", "Sydby"]


# --- One problem each: file, line, column and message -------------------------------------


def test_a_missing_folder(tmp_path):
    [problem] = problems_of(tmp_path / "nowhere")
    assert problem.message == "folder not found"


@pytest.mark.parametrize("table", ["districts", "children", "cases", "episodes"])
def test_a_missing_required_file(tmp_path, table):
    problem = only_problem(tmp_path, {**EXAMPLE, table: None})
    assert problem == Problem(f"{table}.csv", None, None, "file missing")


def test_a_file_that_is_not_utf8(tmp_path):
    text = EXAMPLE["districts"].replace("Øvrige", "Øvrige").encode("latin-1")
    problem = only_problem(tmp_path, {**EXAMPLE, "districts": text})
    assert (problem.file, problem.row, problem.column) == ("districts.csv", 3, None)
    assert "not UTF-8" in problem.message


def test_an_empty_file(tmp_path):
    problem = only_problem(tmp_path, {**EXAMPLE, "complaints": ""})
    assert (problem.file, problem.row) == ("complaints.csv", 1)
    assert "empty file" in problem.message


@pytest.mark.parametrize(
    ("table", "old", "new", "column"),
    [
        ("children", "child_id,birth_date,sex,district", "child_id,birth_date,district", "sex"),
        ("cases", "case_id,child_id,team,opened", "case_id,child_id,team", "opened"),
    ],
)
def test_a_missing_column(tmp_path, table, old, new, column):
    files = {**EXAMPLE, table: EXAMPLE[table].split("\n", 1)[0].replace(old, new) + "\n"}
    problem = only_problem(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == (f"{table}.csv", 1, column)
    assert problem.message == "column missing"


def test_an_unknown_column_is_reported_so_typos_are_caught(tmp_path):
    files = {
        **EXAMPLE,
        "complaints": "complaint_id,child_id,team,date,note\nK-1,B-1002,Team Syd,2020-02-11,x\n",
    }
    problem = only_problem(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == ("complaints.csv", 1, "note")
    assert problem.message.startswith("unknown column")


def test_a_misspelt_column_is_unknown_and_missing(tmp_path):
    files = {**EXAMPLE, "children": EXAMPLE["children"].replace("birth_date", "birthdate")}
    found = problems_of(write_folder(tmp_path / "data", files))
    assert [(p.row, p.column, p.message.split(" (")[0]) for p in found] == [
        (1, "birthdate", "unknown column"),
        (1, "birth_date", "column missing"),
    ]


BAD_CELLS = [
    # table, old text, new text, line, column, words in the message
    ("children", "B-1002,2009-11-02,male", "B-1002,,male", 3, "birth_date", "required"),
    ("children", "2009-11-02", "02-11-2009", 3, "birth_date", "YYYY-MM-DD"),
    ("children", "2009-11-02", "2009-02-30", 3, "birth_date", "no such date"),
    ("children", "2009-11-02,male", "2009-11-02,m", 3, "sex", "not one of: female, male"),
    ("cases", "Team Nord,2021-03-01", ",2021-03-01", 2, "team", "required"),
    ("cases", "2019-06-10,2022-01-31", "2022-06-10,2022-01-31", 3, "closed", "before"),
    ("episodes", "F-9001,B-1001,2,", "F-9001,B-1001,6,", 2, "step", "0-5"),
    ("episodes", "F-9001,B-1001,2,", "F-9001,B-1001,two,", 2, "step", "whole number"),
    ("episodes", "foster_ordinary", "foster_family", 3, "placement_type", "not one of"),
    ("episodes", ",,1450.5", ",,1.450,5", 3, None, "cells"),
    ("episodes", ",,1450.5", ",,1450,5", 3, None, "cells"),
    ("episodes", ",,1450.5", ',,"1450,5"', 3, "daily_cost", "decimal mark"),
    ("episodes", ",,1450.5", ",,-1450.5", 3, "daily_cost", "negative"),
    ("episodes", ",,1450.5", ",,nan", 3, "daily_cost", "not a number"),
    ("episodes", "2021-12-31,planned", "2021-12-31,finished", 2, "end_reason", "not one of"),
    ("episodes", "2022-01-01,,,", "2022-01-01,,planned,", 3, "end_reason", "without an end_date"),
    ("episodes", "2021-05-01,2021-12-31", "2021-05-01,2021-04-30", 2, "end_date", "before"),
    ("followups", "2022-03-15,1", "2022-03-15,yes", 2, "child_conversation", "0 or 1"),
    ("followups", "2022-03-15,1", "2022-03-15,2", 2, "child_conversation", "0 or 1"),
    ("complaints", "K-1,B-1002,Team Syd,2020-02-11", "K-1,B-1002,Team Syd,", 2, "date", "required"),
]


@pytest.mark.parametrize(("table", "old", "new", "line", "column", "words"), BAD_CELLS)
def test_a_bad_cell(tmp_path, table, old, new, line, column, words):
    problem = only_problem(tmp_path, changed(table, old, new))
    assert (problem.file, problem.row, problem.column) == (f"{table}.csv", line, column)
    assert words in problem.message


@pytest.mark.parametrize(
    ("step", "placement_type"),
    [
        (3, "home_based"),
        (2, "foster_network"),
        (5, "foster_ordinary"),
        (3, "foster_special"),
        (4, "residential_institution"),
        (4, "socio_pedagogical"),
        (2, "secure_institution"),
    ],
)
def test_a_placement_type_that_does_not_fit_the_step(tmp_path, step, placement_type):
    row = f"F-9002,B-1001,{step},{placement_type},Almindelig plejefamilie"
    files = changed("episodes", "F-9002,B-1001,4,foster_ordinary,Almindelig plejefamilie", row)
    problem = only_problem(tmp_path, files)
    assert (problem.file, problem.row, problem.column) == ("episodes.csv", 3, "placement_type")
    assert f"not step {step}" in problem.message


def test_a_duplicate_id_names_the_first_line(tmp_path):
    files = changed("followups", "O-2,", "O-1,")
    problem = only_problem(tmp_path, files)
    assert problem == Problem(
        "followups.csv", 3, "followup_id", "duplicate id 'O-1' (first on line 2)"
    )


UNKNOWN_REFERENCES = [
    ("children", "male,Sydby", "male,Vestby", 3, "district", "'Vestby' is not in districts.csv"),
    ("cases", "S-502,B-1002", "S-502,B-9", 3, "child_id", "'B-9' is not in children.csv"),
    ("episodes", "F-9003,B-1002", "F-9003,B-9", 4, "child_id", "'B-9' is not in children.csv"),
    ("followups", "O-2,B-1001", "O-2,B-9", 3, "child_id", "'B-9' is not in children.csv"),
    ("followups", "F-9002,2022-09", "F-9,2022-09", 3, "episode_id", "'F-9' is not in episodes.csv"),
    ("complaints", "K-1,B-1002", "K-1,B-9", 2, "child_id", "'B-9' is not in children.csv"),
]


@pytest.mark.parametrize(("table", "old", "new", "line", "column", "message"), UNKNOWN_REFERENCES)
def test_an_unknown_reference(tmp_path, table, old, new, line, column, message):
    problem = only_problem(tmp_path, changed(table, old, new))
    assert problem == Problem(f"{table}.csv", line, column, message)


def test_a_follow_up_of_another_childs_episode(tmp_path):
    problem = only_problem(tmp_path, changed("followups", "O-2,B-1001", "O-2,B-1002"))
    assert problem == Problem(
        "followups.csv", 3, "child_id", "the episode 'F-9002' is of child 'B-1001'"
    )


def test_a_follow_up_before_its_episode_started(tmp_path):
    problem = only_problem(tmp_path, changed("followups", "2022-03-15", "2021-12-15"))
    assert (problem.file, problem.row, problem.column) == ("followups.csv", 2, "date")
    assert "before the episode 'F-9002' started (2022-01-01)" in problem.message


def test_a_broken_file_does_not_flood_the_files_that_refer_to_it(tmp_path):
    found = problems_of(write_folder(tmp_path / "data", {**EXAMPLE, "children": b"\xff\xfe"}))
    assert [p.file for p in found] == ["children.csv"]


def test_lines_count_cells_that_span_lines(tmp_path):
    districts = 'district,group,team\nNordby,"Pilot\nmed to linjer",Team Nord\nSydby,,Team Syd\n'
    problem = only_problem(tmp_path, {**EXAMPLE, "districts": districts})
    assert (problem.file, problem.row, problem.column) == ("districts.csv", 4, "group")


def test_every_problem_is_collected_up_to_the_cap(tmp_path):
    rows = "".join(f"X{i},1999-99-99,x,Nowhere\n" for i in range(400))
    files = {**EXAMPLE, "children": EXAMPLE["children"] + rows}
    with pytest.raises(InterchangeError) as caught:
        read_dataset(write_folder(tmp_path / "data", files))
    error = caught.value
    assert len(error.problems) == MAX_PROBLEMS
    assert error.count == 1200  # birth_date, sex and district on each of 400 lines
    assert error.report()[-1] == "… and 200 more problem(s) not listed"
    assert error.problems[0] == Problem(
        "children.csv", 4, "birth_date", "no such date: '1999-99-99'"
    )


def test_problems_print_as_file_line_column_message():
    assert str(Problem("cases.csv", 7, "opened", "empty")) == "cases.csv:7: opened: empty"
    assert str(Problem("cases.csv", None, None, "file missing")) == "cases.csv: file missing"


def test_a_cpr_number_as_child_id_is_refused_and_never_repeated(tmp_path):
    files = {t: text.replace("B-1002", "010115-1234") for t, text in EXAMPLE.items()}
    found = problems_of(write_folder(tmp_path / "data", files))
    assert [(p.file, p.row, p.column) for p in found] == [
        ("children.csv", 3, "child_id"),
        ("cases.csv", 3, "child_id"),
        ("episodes.csv", 4, "child_id"),
        ("complaints.csv", 2, "child_id"),
        ("sdq.csv", 4, "child_id"),
    ]  # each place it stands, and no "not in children.csv" besides
    assert all("looks like a CPR number" in p.message for p in found)
    assert not any("1234" in p.message for p in found)


def test_messages_never_show_a_cpr_like_number(tmp_path):
    problem = only_problem(tmp_path, changed("children", "2009-11-02", "0211091234"))
    assert problem.column == "birth_date"
    assert "0211091234" not in problem.message and "<CPR-like number>" in problem.message


def test_numeric_ids_that_are_no_cpr_number_are_fine(tmp_path):
    files = {t: text.replace("B-1002", "9913001234") for t, text in EXAMPLE.items()}
    read_dataset(write_folder(tmp_path / "data", files))
