"""The staffing calculator page (/steering/staffing/)."""

import pytest
from django.urls import reverse

from tests.evaluation.conftest import placed  # noqa: F401  (the fixture)

URL = reverse("simulation:staffing")


@pytest.mark.parametrize(("who", "status"), [("cw1", 403), ("psych", 403), ("analyst", 200)])
def test_access(placed, who, status):  # noqa: F811
    assert placed.client(getattr(placed, who)).get(URL).status_code == status


def test_every_team_with_its_open_cases_and_needs(placed):  # noqa: F811
    html = placed.client(placed.leader).get(URL).content.decode()
    assert str(placed.north) in html and str(placed.south) in html
    assert "0101101234" not in html and "Barnesen" not in html  # counts only


def test_a_bad_target_keeps_what_was_typed(placed):  # noqa: F811
    response = placed.client(placed.analyst).get(
        URL,
        {"caseload_target": "0", "hours_per_followup": "3", "caseworker_hours_per_year": "1000"},
    )
    assert response.status_code == 400
    assert 'value="0"' in response.content.decode()
