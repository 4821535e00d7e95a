"""The demo's pilot against the other districts, medio 2013 against 2015 (KORA's comparison):
the steering page, the printable report and the workbook show the headline differences in
differences with 95 % intervals, their scales and Holm-adjusted p-values, and the rates over
person-time; no "significant yes/no" column (docs/statistics.md)."""

import re
from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.demo.test_kora_demo import demo, printed_logins  # noqa: F401  (the module's demo)
from trappen.demo.kora import targets

QUERY = {
    "start": targets.YEAR_2015[0].isoformat(),
    "end": targets.YEAR_2015[1].isoformat(),
    "group_by": "group",
    "compare_start": targets.MEDIO_2013[0].isoformat(),
    "compare_end": targets.MEDIO_2013[1].isoformat(),
    "treated": targets.GROUPS["pilot"],
    "control": targets.GROUPS["other"],
}


@pytest.fixture
def client(demo, db):  # noqa: F811
    cache.clear()
    c = Client()
    assert c.login(username="analytiker", password=printed_logins(demo.output)["analytiker"])
    yield c
    cache.clear()


def row_cells(html: str, table: str, label: str) -> list[str]:
    section = html.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', section, re.S)
    assert row is not None, label
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_the_page_shows_the_pilots_did_with_intervals_and_holm(client):
    with translation.override("da"):
        response = client.get(reverse("evaluation:index"), QUERY)
        html = response.content.decode()
        comparison = response.context["figures"].comparison
        assert not comparison.equal_length  # 181 against 365 days: said on the page
        assert "Perioderne er ikke lige lange (181 og 365 dage)" in html
        head = {h.key: h for h in comparison.headline}
        share = head["share_of_placed.institution"]
        # the pilot's drop in the institution share: bootstrap interval below 0
        assert share.did.value == pytest.approx(
            comparison.metric("share_of_placed.institution").did, abs=1e-5
        )  # evaluate() rounds to 6 decimals
        assert share.did.low < share.did.value < share.did.high < 0
        assert share.did.p_adjusted >= share.did.p_value
        assert share.permutation.resamples == 495  # 4 of 12 districts
        complaints = head["complaints.rate"].did
        assert complaints.scale == "ratio" and complaints.low < 1 < complaints.high
        cells = row_cells(html, "did", "Andel af anbragte årsbørn, institution")
        assert "absolut, procentpoint" in cells and "Bootstrap over børnene" in cells
        assert any(" – " in c for c in cells)  # the interval
        assert "Forskellen er næppe tilfældig." in cells
        cells = row_cells(html, "did", "Klager pr. 100 åbne sagsår")
        assert "forhold (1 = ingen forskel)" in cells
        assert "Forskellen kan skyldes tilfældigheder." in cells
        assert "p (Holm)" in html and "Eksakt test, p (Holm)" in html
        assert "Signifikant" not in html


def test_the_report_and_the_workbook_show_the_same(client):
    with translation.override("da"):
        html = client.get(reverse("evaluation:report"), QUERY).content.decode()
        for key in ("did", "comparison", "rates", "paired"):
            assert f'id="table-{key}"' in html
        assert "95 %-interval" in html and "p (Holm)" in html and "Signifikant" not in html
        assert reverse("evaluation:statistics") in html
        response = client.get(reverse("evaluation:workbook"), QUERY)
    book = load_workbook(BytesIO(response.content))
    texts = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    for text in ("95 %-interval", "p (Holm)", "Skala", "Estimand", "Rateforhold A/B"):
        assert text in texts, text
    assert "absolut, procentpoint" in texts and "forhold (1 = ingen forskel)" in texts
    assert not any(isinstance(t, str) and "Signifikant" in t for t in texts)
