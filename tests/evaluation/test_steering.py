"""The steering page (/steering/): who may see it, the figures, the form's checks, empty state."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from trappen.organisation.models import Profession, User

YEAR = {"start": "2015-01-01", "end": "2015-12-31", "group_by": "group"}
COMPARE = {**YEAR, "compare_start": "2014-01-01", "compare_end": "2014-12-31"}
EMPTY = (
    "No data in the period: no child had an open case, a measure or a complaint. "
    "Choose another period."
)
GIVE_BOTH = "Give both dates of the comparison period, or neither."
CHOOSE_BOTH = "Choose both a treated and a control group, or neither."
NEEDS_PERIOD = "Comparing two groups needs a comparison period (the period before)."


def get(client, view="evaluation:index", **params):
    return client.get(reverse(view), params)


@pytest.mark.parametrize(
    ("who", "status"),
    [("cw1", 403), ("psych", 403), ("leader", 200), ("analyst", 200)],
)
def test_access(org, who, status):
    assert get(org.client(getattr(org, who)), **YEAR).status_code == status


@pytest.mark.parametrize("view", ["evaluation:index", "evaluation:report", "evaluation:workbook"])
def test_every_steering_view_asks_the_policy(org, view):
    assert get(org.client(org.cw1), view, **YEAR).status_code == 403
    assert get(org.client(org.analyst), view, **YEAR).status_code == 200


def test_administrators_and_superusers_may_see_it(org):
    admin = org.user("ada", Profession.ADMINISTRATOR, None)
    root = User.objects.create_superuser("root", password="x" * 12)
    assert get(org.client(admin), **YEAR).status_code == 200
    assert get(org.client(root), **YEAR).status_code == 200


def test_anonymous_goes_to_login(client):
    response = get(client, **YEAR)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_navigation_links_to_steering_only_for_those_who_may(org):
    url = reverse("evaluation:index")
    assert url in org.client(org.leader).get(reverse("catalogue:index")).content.decode()
    assert url not in org.client(org.cw1).get(reverse("catalogue:index")).content.decode()


def test_figures_and_charts_are_rendered(placed):
    response = get(placed.client(placed.analyst), **YEAR)
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        _("Number of placed full-year children"),
        _("Number of full-year children placed in institutions"),
        _("Spending on placements"),
    ):
        assert heading in html
    assert "Pilot" in html and "Øvrige" in html
    # Each child placed for a whole year / half a year: 1,00 and 0,50 årsbørn (Danish format).
    assert "1,00" in html and "0,50" in html
    assert 'id="steering-charts"' in html
    assert 'data-chart="steps"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert "<script>" not in html  # no inline JavaScript
    # Aggregated figures only: no child's name or CPR number.
    assert "Barnesen" not in html and "0101101234" not in html and "010110" not in html
    assert reverse("evaluation:workbook") + "?" in html
    assert reverse("evaluation:report") + "?" in html


def test_htmx_request_gets_the_form_and_figures_only(placed):
    client = placed.client(placed.leader)
    response = client.get(reverse("evaluation:index"), YEAR, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="card steering-form"' in html
    assert _("Number of placed full-year children") in html


def test_default_period_is_this_year_to_yesterday(placed):
    response = placed.client(placed.analyst).get(reverse("evaluation:index"))
    assert response.status_code == 200
    assert response.context["form"].is_valid()
    assert response.context["form"].cleaned_data["start"].month == 1


def test_comparison_with_groups_shows_the_tests(placed):
    params = {**COMPARE, "treated": "Pilot", "control": "Øvrige"}
    html = get(placed.client(placed.analyst), **params).content.decode()
    assert _("Difference in differences") in html
    assert _("Rates over person-time: complaints and breakdowns") in html
    assert "2014" in html and "2015" in html


def test_empty_period(placed):
    html = get(placed.client(placed.analyst), start="1990-01-01", end="1990-12-31").content.decode()
    assert _(EMPTY) in html
    assert 'data-chart="steps"' not in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({**YEAR, "end": "2014-12-31"}, "end", "The period cannot end before it starts."),
        ({**YEAR, "start": "not a date"}, "start", None),
        ({**YEAR, "compare_start": "2014-01-01"}, "compare_end", GIVE_BOTH),
        ({**COMPARE, "treated": "Pilot"}, "control", CHOOSE_BOTH),
        (
            {**COMPARE, "treated": "Pilot", "control": "Pilot"},
            "control",
            "Choose two different groups.",
        ),
        ({**YEAR, "treated": "Pilot", "control": "Øvrige"}, "compare_start", NEEDS_PERIOD),
        ({**COMPARE, "treated": "Nordby", "control": "Sydby"}, "treated", "Nordby"),
        ({**COMPARE, "treated": "Mars", "control": "Sydby"}, "treated", None),
    ],
)
def test_bad_choices_are_explained(placed, params, field, message):
    response = get(placed.client(placed.analyst), **params)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert any(_(message) in e for e in errors[field])
    assert "figures" not in response.context


def test_figures_are_computed_once_and_kept(placed, django_assert_max_num_queries):
    client = placed.client(placed.analyst)
    get(client, **YEAR)
    # Session, user, form choices, the data version and the figures from the shared cache:
    # no export again; the targets' trend and the quality panel (F8 point 8) are kept with them.
    with django_assert_max_num_queries(8):
        assert get(client, **YEAR).status_code == 200
