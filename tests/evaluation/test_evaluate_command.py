"""`trappen evaluate`: a folder of CSV files (or db) → the key figures as JSON, text or Excel."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _
from openpyxl import load_workbook

YEAR_2015 = ["--from", "2015-01-01", "--to", "2015-12-31"]
COMPARE_2013 = ["--compare-from", "2013-01-01", "--compare-to", "2013-12-31"]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("evaluate", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue()


def test_json_has_the_report_of_the_period(folder):
    data = json.loads(run(folder, *YEAR_2015, "--json"))
    assert data["group_by"] == "group"
    assert data["period"]["days"] == 365
    assert set(data["groups"]) == {"Pilot", "Øvrige"}
    pilot, others = data["groups"]["Pilot"], data["groups"]["Øvrige"]
    # c1 in an ordinary foster family all year; c2 home-based from 2 July (183 of 365 days).
    assert pilot["placed_aarsboern"]["by_type"]["foster_ordinary"] == pytest.approx(1.0)
    assert pilot["placed_aarsboern"]["home_based"] == pytest.approx(183 / 365)
    assert not pilot["placed_aarsboern"]["institution"]
    assert pilot["spending"]["family_care"] == pytest.approx(365 * 1000)
    assert others["breakdowns"]["count"] == 1
    assert others["complaints"]["count"] == 1
    assert data["total"]["placed_aarsboern"]["by_type"]["foster_ordinary"] == pytest.approx(2.0)


def test_json_with_a_comparison_period_has_before_after_and_comparison(folder):
    args = [folder, *YEAR_2015, *COMPARE_2013, "--treated", "Pilot", "--control", "Øvrige"]
    data = json.loads(run(*args, "--json"))
    assert set(data) == {"before", "after", "comparison", "wellbeing"}
    assert data["before"]["period"]["from"] == "2013-01-01"
    assert data["after"]["period"]["to"] == "2015-12-31"
    comparison = data["comparison"]
    assert (comparison["treated"], comparison["control"]) == ("Pilot", "Øvrige")
    institution = comparison["metrics"]["placed_aarsboern.institution"]["treated"]
    assert institution["before"] == pytest.approx(1.0)
    assert not institution["after"]
    assert "complaints.after" in comparison["rates"]
    assert comparison["headline"]["complaints.rate"]["did"]["scale"] == "ratio"
    assert comparison["equal_length"] is True


def test_comparison_period_without_groups_gives_no_tests(folder):
    data = json.loads(run(folder, *YEAR_2015, *COMPARE_2013, "--json"))
    assert data["comparison"] is None
    assert data["before"]["period"]["days"] == 365


def test_group_by_team(folder):
    data = json.loads(run(folder, *YEAR_2015, "--group-by", "team", "--json"))
    assert data["group_by"] == "team"
    assert set(data["groups"]) == {"Team Nord", "Team Syd"}


def test_text_output_shows_the_tables(folder):
    out = run(folder, *YEAR_2015)
    assert _("Table %(number)s") % {"number": "2.1"} in out
    assert "Pilot" in out and "Øvrige" in out


def test_xlsx_has_one_sheet_per_table_with_headings(folder, tmp_path):
    path = tmp_path / "figures.xlsx"
    args = [folder, *YEAR_2015, *COMPARE_2013, "--treated", "Pilot", "--control", "Øvrige"]
    out = run(*args, "--xlsx", path)
    assert str(path) in out
    book = load_workbook(path)
    table = _("Table %(number)s")
    figure = _("Figure %(number)s")
    for number in ("2.1", "2.2", "2.3", "2.5", "2.6", "3.1", "3.2", "4.1"):
        assert table % {"number": number} in book.sheetnames
    for number in ("2.1", "2.2", "4.1"):
        assert figure % {"number": number} in book.sheetnames
    assert book.sheetnames[0] == _("About")
    title = table % {"number": "2.1"}
    sheet = book[title]
    assert sheet["A1"].value == f"{title} {_('Number of placed full-year children')}"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    headings = [v for row in values for v in row if isinstance(v, str)]
    assert "2013" in headings and "2015" in headings
    assert _("Change in %") in headings
    pilot = next(row for row in values if row[0] == "Pilot")
    assert pilot[1] == pytest.approx(1.0)  # 2013: c1 in an institution all year
    assert pilot[2] == pytest.approx(1 + 183 / 365)
    assert sheet.cell(row=values.index(pilot) + 1, column=2).number_format == "#,##0.00"


def test_xlsx_with_one_period_shows_that_period(folder, tmp_path):
    path = tmp_path / "one.xlsx"
    run(folder, *YEAR_2015, "--xlsx", path)
    sheet = load_workbook(path)[_("Table %(number)s") % {"number": "2.1"}]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "2015" in texts
    assert _("Change in %") not in texts


def test_json_and_xlsx_together_keep_stdout_pure_json(folder, tmp_path):
    out = run(folder, *YEAR_2015, "--json", "--xlsx", tmp_path / "x.xlsx")
    json.loads(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2015-12-31", "--to", "2015-01-01"], "before --from"),
        (["--from", "2015-13-01", "--to", "2015-12-31"], "not a date"),
        ([*YEAR_2015, "--compare-from", "2013-01-01"], "both --compare-from and --compare-to"),
        ([*YEAR_2015, *COMPARE_2013, "--treated", "Pilot"], "both --treated and --control"),
        ([*YEAR_2015, "--treated", "Pilot", "--control", "Øvrige"], "compare two periods"),
        ([*YEAR_2015, *COMPARE_2013, "--treated", "Pilot", "--control", "Pilot"], "different"),
        ([*YEAR_2015, *COMPARE_2013, "--treated", "Pilot", "--control", "Mars"], "Mars"),
        ([*YEAR_2015, "--base-year", "2013"], "--prices"),
    ],
)
def test_bad_arguments_are_clear_errors(folder, args, message):
    with pytest.raises(CommandError, match=message):
        run(folder, *args)


def test_unknown_folder(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        run(tmp_path / "nowhere", *YEAR_2015)


def test_invalid_csv_gives_the_problem_report(folder):
    episodes = folder / "episodes.csv"
    episodes.write_text(episodes.read_text().replace("2015-07-02", "2015-02-30"))
    with pytest.raises(CommandError) as error:
        run(folder, *YEAR_2015)
    assert "episodes.csv:4: start_date" in str(error.value)
    assert "nothing was evaluated" in str(error.value)


def test_bad_price_file(folder, tmp_path):
    prices = tmp_path / "prices.csv"
    prices.write_text("year,index\n2013,100\n2015,abc\n")
    with pytest.raises(CommandError, match="--prices"):
        run(folder, *YEAR_2015, "--prices", prices, "--base-year", "2013")
    with pytest.raises(CommandError, match="cannot read"):
        run(folder, *YEAR_2015, "--prices", tmp_path / "missing.csv")


def test_fixed_prices(folder, tmp_path):
    prices = tmp_path / "prices.csv"
    prices.write_text("year,index\n2013,100\n2015,110\n")
    args = [folder, *YEAR_2015, "--prices", prices, "--base-year", "2013", "--json"]
    data = json.loads(run(*args))
    spending = data["groups"]["Pilot"]["spending"]["family_care"]
    assert spending == pytest.approx(365 * 1000 * 100 / 110)


def test_db_evaluates_the_database(placed):
    data = json.loads(run("db", *YEAR_2015, "--json"))
    assert data["groups"]["Pilot"]["placed_aarsboern"]["by_type"]["foster_ordinary"] == 1.0
    assert data["groups"]["Øvrige"]["placed_aarsboern"]["institution"] == pytest.approx(181 / 365)
