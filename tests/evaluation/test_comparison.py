"""The comparison on the steering page, in the printable report and the workbook: headline
differences in differences with 95 % intervals, scales and Holm-adjusted p-values, rates over
person-time, per-year figures for periods of different length; no "significant yes/no"."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from trappen.core.kpi.inference import Estimate
from trappen.evaluation.comparison import reading

from .test_steering import COMPARE, YEAR, get

GROUPS = {"treated": "Pilot", "control": "Øvrige"}
HALF_BEFORE = {**YEAR, "compare_start": "2014-07-01", "compare_end": "2014-12-31", **GROUPS}


def test_the_page_shows_intervals_scales_and_adjusted_p_values(placed):
    response = get(placed.client(placed.analyst), **COMPARE, **GROUPS)
    html = response.content.decode()
    for key in ("did", "comparison", "rates", "paired"):
        assert f'id="table-{key}"' in html, key
    for text in ("95 % interval", "p (Holm)", "Scale", "Estimand", "Rate ratio A/B"):
        assert _(text) in html, text
    assert _("ratio (1 = no difference)") in html
    assert _("absolute, percentage points") in html
    assert _("Significant (p < 0.05)") not in html
    assert "Signifikant" not in html and "Significant" not in html
    assert reverse("evaluation:statistics") in html
    comparison = response.context["figures"].comparison
    head = {h.key: h for h in comparison.headline}
    # complaints: one complaint in Øvrige in 2015, none before: no finite ratio, said why
    assert head["complaints.rate"].did.value is None
    assert head["share_of_placed.institution"].did.method == "bootstrap"


def test_the_reading_is_plain_danish_and_uses_the_adjusted_p():
    chance = Estimate("rate ratio", "ratio", "exact_rate", p_value=0.01, p_adjusted=0.08)
    unlikely = Estimate("rate ratio", "ratio", "exact_rate", p_value=0.001, p_adjusted=0.004)
    with translation.override("da"):
        assert reading(chance) == "Forskellen kan skyldes tilfældigheder."
        assert reading(unlikely) == "Forskellen er næppe tilfældig."
        assert reading(Estimate("rate ratio", "ratio", "exact_rate")) == ""


def test_unequal_periods_are_said_and_compared_per_year(placed):
    response = get(placed.client(placed.analyst), **HALF_BEFORE)
    comparison = response.context["figures"].comparison
    assert not comparison.equal_length
    assert (comparison.before.days, comparison.after.days) == (184, 365)
    html = response.content.decode()
    note = _(
        "The periods are of different length (%(before)s and %(after)s days): figures that "
        "grow with the period are compared per year (per 365 days)."
    ) % {"before": 184, "after": 365}
    assert note in html
    assert _("%(figure)s, per year") % {"figure": _("All placed")} in html


@pytest.mark.parametrize(
    ("compare", "field", "danish"),
    [
        (("2015-06-01", "2016-05-31"), "compare_end", "overlapper"),
        (("2016-01-01", "2016-12-31"), "compare_start", "perioden før"),
    ],
)
def test_overlapping_or_reversed_periods_are_refused_in_danish(placed, compare, field, danish):
    params = {**YEAR, "compare_start": compare[0], "compare_end": compare[1], **GROUPS}
    with translation.override("da"):
        response = get(placed.client(placed.analyst), **params)
    errors = response.context["form"].errors
    assert field in errors and any(danish in e for e in errors[field])
    assert "figures" not in response.context


def test_the_report_shows_the_comparison_and_links_the_methods(placed):
    response = get(placed.client(placed.leader), "evaluation:report", **COMPARE, **GROUPS)
    html = response.content.decode()
    for key in ("did", "rates", "paired"):
        assert f'id="table-{key}"' in html, key
    assert _("p (Holm)") in html and _("95 % interval") in html
    assert reverse("evaluation:statistics") in html and "docs/statistics.md" in html


def test_the_workbook_has_the_headline_sheet(placed):
    response = get(placed.client(placed.analyst), "evaluation:workbook", **COMPARE, **GROUPS)
    book = load_workbook(BytesIO(response.content))
    texts = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    for text in ("95 % interval", "p (Holm)", "Scale", "Exact test, p (Holm)"):
        assert _(text) in texts, text
    assert not any(isinstance(t, str) and "Significant" in t for t in texts)


def test_the_statistics_page(placed):
    assert get(placed.client(placed.cw1), "evaluation:statistics").status_code == 403
    response = get(placed.client(placed.analyst), "evaluation:statistics")
    assert response.status_code == 200
    assert "Holm" in response.content.decode()
