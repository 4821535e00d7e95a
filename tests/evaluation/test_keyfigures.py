"""Socialstyrelsen's key-figure catalogue on the steering page, in the report and the workbook.

The world (2015, 365 days), on top of `placed`: Pilot's child A is in an ordinary foster family
all year (1,000 kr. a day) and has two follow-ups, one with a child conversation; Pilot's child C
gets a preventive measure (step 1) from 1 August (153 days, 1,000 kr. a day). Øvrige's child B is
at a residential institution from 1 January to 1 July (181 days, 1,000 kr. a day) and has no
measure after it.
"""

from datetime import date
from html.parser import HTMLParser
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from trappen.evaluation.tables import STEP_LABELS
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode

from .conftest import place
from .test_steering import COMPARE, EMPTY, YEAR

YEAR_2015 = ["--from", "2015-01-01", "--to", "2015-12-31"]
HEADING = "Key figures (Socialstyrelsen's catalogue of key figures)"
SHEET = "Key-figure catalogue"
SPENDING = "10 Spending on preventive measures and placements"
TABLES = ("catalogue-placements", "catalogue-endings", "catalogue-prevention")


@pytest.fixture
def world(placed):
    org = placed
    foster = Episode.objects.get(child__cpr="0101101234")
    for held_on, conversation in ((date(2015, 3, 1), True), (date(2015, 9, 1), False)):
        FollowUp.objects.create(
            episode=foster,
            case=foster.case,
            held_on=held_on,
            form=FollowUp.Form.MEETING,
            child_conversation=conversation,
            plan_review=FollowUp.PlanReview.KEPT,
            recorded_by=org.cw1,
        )
    place(org, "0303101234", org.d_north, 1, "", date(2015, 8, 1))
    return org


class Tables(HTMLParser):
    """The page's tables by id: {table id: {section heading: {row label: [cell texts]}}};
    rows before any heading are under ""."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, dict[str, list[str]]]] = {}
        self.table: dict[str, dict[str, list[str]]] | None = None
        self.section = ""
        self.cells: list[str] | None = None
        self.text: list[str] | None = None
        self.row_class = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = self.tables.setdefault(attrs.get("aria-labelledby", ""), {})
            self.section = ""
        elif tag == "tbody":
            self.cells = None
        elif tag == "tr" and self.table is not None:
            self.cells, self.row_class = [], attrs.get("class") or ""
        elif tag in ("th", "td") and self.cells is not None:
            self.text = []

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.text is not None and self.cells is not None:
            self.cells.append("".join(self.text).strip())
            self.text = None
        elif tag == "tr" and self.cells and self.table is not None:
            if self.row_class == "heading":
                self.section = self.cells[0]
            else:
                self.table.setdefault(self.section, {})[self.cells[0]] = self.cells[1:]
            self.cells = None
        elif tag == "table":
            self.table = None


def catalogue(html):
    tables = Tables(html).tables
    return {key: tables.get(f"table-{key}") for key in TABLES}


def header(html, key):
    """The column headings of a table (the first cell is the row label's)."""
    tables = Tables(html).tables[f"table-{key}"]
    return tables[""][_("Key figure")]


def test_the_page_shows_the_catalogue_per_group_and_in_total(world):
    response = world.client(world.analyst).get(reverse("evaluation:index"), YEAR)
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(_(HEADING)) in html
    tables = catalogue(html)
    # Columns: Pilot, Øvrige, the total.
    assert header(html, "catalogue-placements") == ["Pilot", "Øvrige", _("Total")]

    placements = tables["catalogue-placements"]
    institution = placements[_("1 Institution placements")]
    assert institution[_("Children")] == ["0", "1", "1"]
    assert institution[_("Full-year children (årsbørn)")] == ["0,00", "0,50", "0,50"]  # 181/365
    assert institution[_("New placements (children)")] == ["0", "1", "1"]
    foster = placements[_("3 Foster placements")]
    assert foster[_("Children")] == ["1", "0", "1"]
    assert foster[_("Full-year children (årsbørn)")] == ["1,00", "0,00", "1,00"]
    preventive = placements[_("6 Preventive measures (section 11(3))")]
    assert preventive[_("Full-year children (årsbørn)")] == ["0,42", "0,00", "0,42"]  # 153/365
    assert preventive[_("New measures (children)")] == ["1", "0", "1"]

    endings = tables["catalogue-endings"]
    duration = endings[_("2 Duration of institution placements")]
    assert duration[_("Institution stays ended")] == ["0", "1", "1"]
    assert duration[_("Average duration (days)")] == ["–", "181,00", "181,00"]
    formerly = endings[_("7 Formerly institution-placed children")]
    assert formerly[_("Next: no measure within 31 days")] == ["0", "1", "1"]

    prevention = tables["catalogue-prevention"]
    development = prevention[_("9 Development in preventive measures (started per half-year)")]
    assert development[_("%(half)s. half %(year)s") % {"half": 1, "year": 2015}] == ["0", "0", "0"]
    assert development[_("%(half)s. half %(year)s") % {"half": 2, "year": 2015}] == ["1", "0", "1"]
    spending = prevention[_(SPENDING)]
    assert spending[_("Preventive measures (kr.)")] == ["153.000", "0", "153.000"]
    assert spending[_("Placements (kr.)")] == ["365.000", "181.000", "546.000"]
    followups = prevention[_("11 Follow-ups")]
    assert followups[_("Follow-ups")] == ["2", "0", "2"]
    assert followups[_("With a child conversation")] == ["1", "0", "1"]
    # 2 follow-ups over the 2 placed children in total; Pilot: 2 over its 1 placed child.
    assert followups[_("Follow-ups per placed child")] == ["2,00", "0,00", "1,00"]
    assert followups[_("Share with a child conversation")] == ["50,0 %", "–", "50,0 %"]


def test_with_a_comparison_period_each_group_has_both_periods(world):
    html = world.client(world.analyst).get(reverse("evaluation:index"), COMPARE).content.decode()
    assert header(html, "catalogue-placements") == ["2014", "2015"] * 3
    spending = catalogue(html)["catalogue-prevention"][_(SPENDING)]
    # 2014: nobody placed yet; 2015 as above.
    assert spending[_("Placements (kr.)")] == ["0", "365.000", "0", "181.000", "0", "546.000"]


def test_the_report_shows_the_catalogue(world):
    response = world.client(world.leader).get(reverse("evaluation:report"), YEAR)
    html = response.content.decode()
    assert escape(_(HEADING)) in html
    assert 'id="chapter-catalogue"' in html
    tables = catalogue(html)
    assert all(tables.values())
    foster = tables["catalogue-placements"][_("3 Foster placements")]
    assert foster[_("Children")] == ["1", "0", "1"]
    spending = tables["catalogue-prevention"][_(SPENDING)]
    assert spending[_("Placements (kr.)")] == ["365.000", "181.000", "546.000"]


def test_the_workbook_has_the_catalogue_sheet(world):
    response = world.client(world.analyst).get(reverse("evaluation:workbook"), YEAR)
    book = load_workbook(BytesIO(response.content))
    assert _(SHEET) in book.sheetnames
    rows = [[c.value for c in row] for row in book[_(SHEET)].iter_rows()]
    labels = [row[0] for row in rows]
    # The three tables, one below the other, each with its headings.
    for title in (
        _("Placements and measures"),
        _("Institution stays and home-based measures: endings and movements"),
        _("Preventive measures, spending and follow-ups"),
    ):
        assert title in labels
    assert rows.count([_("Key figure"), "Pilot", "Øvrige", _("Total")]) == 3

    def after(section, label):
        start = labels.index(section)
        return rows[labels.index(label, start)][1:4]

    institution = _("1 Institution placements")
    assert after(institution, _("Children")) == [0, 1, 1]
    assert after(institution, _("Full-year children (årsbørn)")) == pytest.approx(
        [0, 181 / 365, 181 / 365], abs=1e-6
    )
    spending = _(SPENDING)
    assert after(spending, _("Placements (kr.)")) == [365_000, 181_000, 546_000]
    assert after(spending, _("Preventive measures (kr.)")) == [153_000, 0, 153_000]
    share = labels.index(_("Share with a child conversation"))
    assert rows[share][1:4] == [0.5, None, 0.5]
    sheet = book[_(SHEET)]
    assert sheet.cell(share + 1, 2).number_format == "0.0%"
    assert sheet.cell(labels.index(_("Placements (kr.)")) + 1, 2).number_format == "#,##0"


def test_an_empty_period_shows_the_empty_state(world):
    client = world.client(world.analyst)
    empty = {"start": "1990-01-01", "end": "1990-12-31"}
    for view in ("evaluation:index", "evaluation:report"):
        response = client.get(reverse(view), empty)
        html = response.content.decode()
        assert response.status_code == 200
        assert escape(_(EMPTY)) in html
        assert 'id="table-catalogue-placements"' not in html
    response = client.get(reverse("evaluation:workbook"), empty)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))[_(SHEET)]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    institution = next(i for i, r in enumerate(rows) if r[0] == _("1 Institution placements"))
    assert rows[institution + 1][1:4] == [0, 0, 0]  # nobody in an institution in 1990


def test_the_command_writes_the_catalogue_sheet(db, folder, tmp_path):
    """conftest's folder, 2015: Pilot's c1 left the institution on 1 January after 730 days,
    for foster care the same day; c2 is home-based from 2 July at 500 kr. a day. Øvrige's c4
    spent 62 days at a socio-pedagogical residence, with nothing after it."""
    path = tmp_path / "catalogue.xlsx"
    out = StringIO()
    call_command("evaluate", str(folder), *YEAR_2015, "--xlsx", str(path), stdout=out)
    book = load_workbook(path)
    assert f"({len(book.sheetnames)} sheets)" in out.getvalue()
    rows = [[c.value for c in row] for row in book[_(SHEET)].iter_rows()]
    assert [_("Key figure"), "Pilot", "Øvrige", _("Total")] in rows
    values = {row[0]: row[1:4] for row in rows if row[0]}
    assert values[_("Average duration (days)")] == [730, 62, 396]
    assert values[_("Next: %(step)s") % {"step": STEP_LABELS["4"]}] == [1, 0, 1]
    assert values[_("Next: no measure within 31 days")] == [0, 1, 1]
    # Pilot: foster care 365 × 1,000 + home-based 183 × 500; Øvrige: foster care 365 × 1,000
    # + the residence 62 × 2,500.
    assert values[_("Placements (kr.)")] == [456_500, 520_000, 976_500]
