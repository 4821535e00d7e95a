"""`trappen sdq score FILE.csv [--json]` (trappen/wellbeing/management/commands/sdq.py)."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ITEMS = [f"item_{n}" for n in range(1, 26)]
HEADER = ["informant", *ITEMS]
# Every subscale 5 (each answer "somewhat true"): total 20.
ALL_ONES = ["1"] * 25
# The worked teacher response of tests/core/test_sdq.py: 3, 5, 7, 3, 10; total 18.
WORKED = list("2102100122010211201201011")  # item 1 first


def total_15() -> list[str]:
    """Emotional, conduct, hyperactivity 5 each; peer 0 (6, 19, 23 at 0; 11R, 14R at 2)."""
    items = list(ALL_ONES)
    for item, answer in ((6, "0"), (19, "0"), (23, "0"), (11, "2"), (14, "2")):
        items[item - 1] = answer
    return items


def write(tmp_path, rows, header=HEADER, delimiter=",", name="sdq.csv", prefix=""):
    path = tmp_path / name
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    path.write_text(prefix + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("sdq", "score", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("sdq", "score", str(path), *args, stdout=out, stderr=err)
    assert caught.value.returncode == 1
    assert out.getvalue() == ""  # all or nothing: no scores at all
    return err.getvalue(), str(caught.value)


def test_json_output_in_input_order(tmp_path):
    path = write(tmp_path, [["teacher", *WORKED], ["parent", *ALL_ONES], ["self", *total_15()]])
    out, _ = run(path, "--json")
    rows = json.loads(out)
    assert [r["row"] for r in rows] == [1, 2, 3]
    assert [r["informant"] for r in rows] == ["teacher", "parent", "self"]
    assert rows[0] == {
        "row": 1,
        "informant": "teacher",
        "emotional": 3,
        "conduct": 5,
        "hyperactivity": 7,
        "peer": 3,
        "prosocial": 10,
        "total_difficulties": 18,
        "externalising": 12,
        "internalising": 6,
        "impact": None,
        "total_band3": "abnormal",
        "total_band4": "high",
    }
    assert (rows[1]["total_difficulties"], rows[1]["total_band3"], rows[1]["total_band4"]) == (
        20,
        "abnormal",
        "very high",
    )
    assert (rows[2]["total_difficulties"], rows[2]["total_band3"], rows[2]["total_band4"]) == (
        15,
        "normal",
        "slightly raised",
    )


@pytest.mark.parametrize(
    ("informant", "band3", "band4"),
    [
        ("parent", "borderline", "slightly raised"),
        ("teacher", "borderline", "slightly raised"),
        ("self", "normal", "slightly raised"),
    ],
)
def test_the_bands_are_the_informants(tmp_path, informant, band3, band4):
    out, _ = run(write(tmp_path, [[informant, *total_15()]]), "--json")
    (row,) = json.loads(out)
    assert (row["total_difficulties"], row["total_band3"], row["total_band4"]) == (15, band3, band4)


def test_text_table(tmp_path):
    path = write(tmp_path, [["teacher", *WORKED], ["parent", *([""] * 25)]])
    out, err = run(path)
    lines = out.splitlines()
    assert lines[0].split() == [
        "row",
        "informant",
        "emotional",
        "conduct",
        "hyperactivity",
        "peer",
        "prosocial",
        "total_difficulties",
        "externalising",
        "internalising",
        "impact",
        "total_band3",
        "total_band4",
    ]
    assert lines[1].split() == [
        *("1", "teacher", "3", "5", "7", "3", "10", "18", "12", "6"),
        *("null", "abnormal", "high"),
    ]
    assert lines[2].split() == ["2", "parent", *["null"] * 11]
    assert len(lines) == 3 and err == ""
    # Aligned columns: every value starts where its heading does.
    assert lines[1].index("18") == lines[0].index("total_difficulties")


def test_missing_scores_are_null(tmp_path):
    items = list(ALL_ONES)
    for item in (3, 8, 13):  # emotional: 2 of 5 answered
        items[item - 1] = ""
    out, _ = run(write(tmp_path, [["parent", *items]]), "--json")
    (row,) = json.loads(out)
    assert row["emotional"] is None
    assert row["total_difficulties"] is None and row["internalising"] is None
    assert row["total_band3"] is None and row["total_band4"] is None
    assert (row["conduct"], row["externalising"], row["prosocial"]) == (5, 10, 5)


def test_proration_half_up_through_the_command(tmp_path):
    items = [""] * 25
    for item, answer in ((3, "1"), (8, "1"), (13, "0"), (16, "0")):  # 2 on 4 items: 2.5 -> 3
        items[item - 1] = answer
    out, _ = run(write(tmp_path, [["parent", *items]]), "--json")
    assert json.loads(out)[0]["emotional"] == 3


def test_impact_columns(tmp_path):
    header = [
        *HEADER,
        "impact_difficulties",
        "impact_distress",
        "impact_home",
        "impact_friendships",
        "impact_learning",
        "impact_leisure",
        "impact_peers",
    ]
    rows = [
        ["parent", *ALL_ONES, "2", "3", "2", "1", "0", "3", ""],  # 2 + 1 + 0 + 0 + 2
        ["teacher", *ALL_ONES, "1", "3", "", "", "3", "", "2"],  # 2 + 2 + 1
        ["parent", *ALL_ONES, "0", "", "", "", "", "", ""],  # no difficulties: 0
        ["self", *ALL_ONES, "", "", "", "", "", "", ""],  # no supplement
        ["self", *ALL_ONES, "", "3", "3", "", "3", "3", ""],  # an item unanswered
    ]
    out, _ = run(write(tmp_path, rows, header=header), "--json")
    assert [r["impact"] for r in json.loads(out)] == [5, 5, 0, None, None]


def test_semicolons_and_a_byte_order_mark(tmp_path):
    path = write(tmp_path, [["parent", *ALL_ONES]], delimiter=";", prefix="\ufeff")
    out, _ = run(path, "--json")
    assert json.loads(out)[0]["total_difficulties"] == 20


def test_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "sdq.csv"
    path.write_text(
        ",".join(HEADER)
        + "\n"
        + ",".join(["parent", *ALL_ONES])
        + "\n\n"
        + ",".join(["teacher", *WORKED])
        + "\n",
        encoding="utf-8",
    )
    out, _ = run(path, "--json")
    assert [(r["row"], r["informant"]) for r in json.loads(out)] == [(1, "parent"), (3, "teacher")]


# --- refusals -------------------------------------------------------------------------------


def test_an_answer_outside_0_to_2_is_refused_by_row_and_column(tmp_path):
    bad = list(ALL_ONES)
    bad[6] = "3"
    path = write(tmp_path, [["parent", *ALL_ONES], ["parent", *bad], ["parent", *ALL_ONES]])
    err, message = refused(path)
    assert "row 2 (line 3), column item_7: answer '3' is not 0, 1 or 2 (or empty)" in err
    assert "nothing scored, 1 problem" in message


@pytest.mark.parametrize("value", ["-1", "x", "1.0", "2 2", "10"])
def test_other_bad_answers_are_refused(tmp_path, value):
    bad = list(ALL_ONES)
    bad[24] = value
    err, _ = refused(write(tmp_path, [["self", *bad]]), "--json")
    assert f"row 1 (line 2), column item_25: answer {value!r} is not 0, 1 or 2" in err


def test_an_unknown_informant_is_refused(tmp_path):
    err, _ = refused(write(tmp_path, [["parent", *ALL_ONES], ["mother", *ALL_ONES]]))
    assert (
        "row 2 (line 3), column informant: informant 'mother' is not one of parent, teacher, self"
        in err
    )


def test_a_row_with_a_wrong_number_of_item_columns_is_refused(tmp_path):
    path = write(tmp_path, [["parent", *ALL_ONES], ["teacher", *ALL_ONES[:24]]])
    err, _ = refused(path)
    assert "row 2 (line 3): 25 values where the header has 26 columns" in err
    path = write(tmp_path, [["teacher", *ALL_ONES, "1"]])
    err, _ = refused(path)
    assert "row 1 (line 2): 27 values where the header has 26 columns" in err


def test_a_header_with_a_wrong_number_of_item_columns_is_refused(tmp_path):
    err, _ = refused(write(tmp_path, [["parent", *ALL_ONES[:24]]], header=HEADER[:-1]))
    assert "header: 24 item columns where there must be 25; missing item_25" in err
    err, _ = refused(write(tmp_path, [["parent", *ALL_ONES, "1"]], header=[*HEADER, "item_26"]))
    assert "header: unknown column(s) 'item_26'" in err
    err, _ = refused(write(tmp_path, [[*ALL_ONES]], header=ITEMS))
    assert "header: missing column 'informant'" in err


def test_every_problem_is_named_and_nothing_is_scored(tmp_path):
    first = list(ALL_ONES)
    first[0] = "5"
    first[1] = "a"
    rows = [["parent", *ALL_ONES], ["nobody", *first], ["self", *ALL_ONES[:3]]]
    err, message = refused(write(tmp_path, rows), "--json")
    assert err.splitlines() == [
        f"{tmp_path / 'sdq.csv'}: row 2 (line 3), column informant: informant 'nobody' is not "
        "one of parent, teacher, self",
        f"{tmp_path / 'sdq.csv'}: row 2 (line 3), column item_1: answer '5' is not 0, 1 or 2 "
        "(or empty)",
        f"{tmp_path / 'sdq.csv'}: row 2 (line 3), column item_2: answer 'a' is not 0, 1 or 2 "
        "(or empty)",
        f"{tmp_path / 'sdq.csv'}: row 3 (line 4): 4 values where the header has 26 columns",
    ]
    assert "nothing scored, 4 problems" in message


def test_impact_refusals(tmp_path):
    header = [*HEADER, "impact_distress", "impact_home", "impact_peers"]
    rows = [
        ["teacher", *ALL_ONES, "1", "2", "1"],  # the teacher is not asked about home life
        ["parent", *ALL_ONES, "4", "", ""],
    ]
    err, _ = refused(write(tmp_path, rows, header=header))
    assert "row 1 (line 2), column impact_home: not an impact item of the teacher" in err
    assert "row 2 (line 3), column impact_distress: answer '4' is not 0, 1, 2 or 3" in err
    assert "row 2 (line 3), column impact_peers" not in err  # empty: not an answer


def test_an_empty_or_missing_file_is_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    err, _ = refused(empty)
    assert "the file is empty" in err
    with pytest.raises(CommandError, match="cannot read"):
        call_command("sdq", "score", str(tmp_path / "nowhere.csv"), stdout=StringIO())


def test_the_console_command_exits_1_on_bad_input(tmp_path):
    bad = list(ALL_ONES)
    bad[3] = "9"
    path = write(tmp_path, [["parent", *bad]])
    done = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "trappen"), "sdq", "score", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "column item_4: answer '9'" in done.stderr
