"""The printable evaluation report (/steering/report/): every table, captions, the source line."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .test_steering import COMPARE, EMPTY, YEAR

KORA_TABLES = ["2.1", "2.2", "2.3", "2.5", "2.6", "3.1", "3.2", "4.1"]
KORA_FIGURES = ["figure-2.1", "figure-2.2", "figure-4.1"]


def report(client, **params):
    return client.get(reverse("evaluation:report"), params)


def test_the_report_renders_every_table(placed):
    params = {**COMPARE, "treated": "Pilot", "control": "Øvrige"}
    response = report(placed.client(placed.leader), **params)
    html = response.content.decode()
    assert response.status_code == 200
    for key in [*KORA_TABLES, *KORA_FIGURES, "overview", "caseload", "comparison", "did", "rates"]:
        assert f'id="table-{key}"' in html, key
    for number in KORA_TABLES:
        assert _("Table %(number)s") % {"number": number} in html
    assert _("Evaluation of the Herning model's key figures") in html
    assert _("About the figures") in html
    assert _("Before (comparison period)") in html
    # The source line under every table, and a print button without inline JavaScript.
    source = _("Source: trappen, computed %(date)s at %(time)s").split("%")[0]
    assert html.count(source) >= len(KORA_TABLES) + len(KORA_FIGURES)
    assert "data-print" in html and "onclick" not in html
    assert "trappen/steering.css" in html


def test_the_report_of_one_period(placed):
    html = report(placed.client(placed.analyst), **YEAR).content.decode()
    assert 'id="table-2.1"' in html
    assert 'id="table-comparison"' not in html


def test_the_report_with_bad_choices_says_why(placed):
    html = report(placed.client(placed.analyst), **{**YEAR, "end": "2014-01-01"}).content.decode()
    assert _("The period cannot end before it starts.") in html
    assert 'id="table-2.1"' not in html


def test_the_report_of_an_empty_period(placed):
    html = report(placed.client(placed.analyst), start="1990-01-01", end="1990-06-30")
    assert _(EMPTY) in html.content.decode()
