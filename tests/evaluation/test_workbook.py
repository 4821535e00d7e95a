"""The Excel download (/steering/excel/): the same tables as the page, one sheet each."""

from io import BytesIO

from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .test_steering import COMPARE, YEAR


def download(client, **params):
    return client.get(reverse("evaluation:workbook"), params)


def test_the_workbook_download(placed):
    params = {**COMPARE, "treated": "Pilot", "control": "Øvrige"}
    response = download(placed.client(placed.analyst), **params)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="trappen-noegletal-2015-01-01-2015-12-31.xlsx"'
    )
    book = load_workbook(BytesIO(response.content))
    table = _("Table %(number)s")
    for number in ("2.1", "2.2", "2.3", "2.5", "2.6", "3.1", "3.2", "4.1"):
        assert table % {"number": number} in book.sheetnames
    sheet = book[table % {"number": "2.1"}]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    pilot = next(row for row in rows if row[0] == "Pilot")
    assert pilot[1:3] == [0, 1.0]  # 2014: nothing; 2015: one child placed all year
    about = book[book.sheetnames[0]]
    texts = [c.value for row in about.iter_rows() for c in row if c.value]
    assert _("Treated group") in texts and "Pilot" in texts


def test_the_workbook_of_the_page_by_team(placed):
    response = download(placed.client(placed.leader), **{**YEAR, "group_by": "team"})
    sheet = load_workbook(BytesIO(response.content))[_("Table %(number)s") % {"number": "2.1"}]
    labels = [row[0].value for row in sheet.iter_rows()]
    assert "Team Nord" in labels and "Team Syd" in labels


def test_bad_choices_give_no_workbook(placed):
    response = download(placed.client(placed.analyst), **{**YEAR, "end": "2014-01-01"})
    assert response.status_code == 400
    assert _("The period cannot end before it starts.") in response.content.decode()
