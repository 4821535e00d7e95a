"""The business case kept (/steering/business-case/): the plan entered by whom the policy lets,
the realised saving by the key figures beside it, the booked accounts imported all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.evaluation.conftest import placed  # noqa: F401  (the fixture)
from trappen.audit.models import AuditEntry
from trappen.core.accounts import read_accounts
from trappen.core.interchange import InterchangeError
from trappen.simulation.models import BookedAccount, PlanYear

URL = reverse("simulation:business_case")


def plan(org, who, year, investment="2750000", saving="1000000"):
    data = {"form": "plan", "year": year, "investment": investment, "expected_saving": saving}
    return org.client(who).post(URL, data)


def test_the_plan_as_table_2_4_and_the_realised_beside_it(placed):  # noqa: F811
    assert plan(placed, placed.analyst, 2015).status_code == 302
    assert plan(placed, placed.analyst, 2016, saving="2000000").status_code == 302
    html = placed.client(placed.leader).get(URL).content.decode()
    assert "2.750.000" in html or "2,750,000" in html or "2 750 000" in html
    assert "Base year 2014" in html or "Basisår 2014" in html
    assert PlanYear.objects.count() == 2
    assert AuditEntry.objects.filter(action="update").exists()


def test_entering_again_changes_the_year(placed):  # noqa: F811
    plan(placed, placed.analyst, 2015)
    plan(placed, placed.analyst, 2015, saving="3000000")
    assert PlanYear.objects.get().expected_saving == 3000000


@pytest.mark.parametrize(("who", "status"), [("cw1", 403), ("psych", 403)])
def test_who_may_not_enter(placed, who, status):  # noqa: F811
    assert plan(placed, getattr(placed, who), 2015).status_code == status
    assert not PlanYear.objects.exists()


def test_a_bad_year_keeps_what_was_typed(placed):  # noqa: F811
    response = plan(placed, placed.analyst, "20x5", investment="123")
    assert response.status_code == 400
    assert 'value="123"' in response.content.decode()


def test_importing_the_booked_accounts(placed):  # noqa: F811
    csv = b"year,function,amount\n2015,5.28.20,17500000\n2015,5.28.21,4000000.50\n"
    response = placed.client(placed.analyst).post(
        URL, {"form": "accounts", "accounts": SimpleUploadedFile("a.csv", csv)}
    )
    assert response.status_code == 302
    assert BookedAccount.objects.count() == 2


def test_an_import_with_a_problem_changes_nothing(placed):  # noqa: F811
    csv = b"year,function,amount\n2015,5.28.20,17500000\n2015,=HYPERLINK(1),1.250\n"
    response = placed.client(placed.analyst).post(
        URL, {"form": "accounts", "accounts": SimpleUploadedFile("a.csv", csv)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "accounts.csv:3: function" in html and "accounts.csv:3: amount" in html
    assert not BookedAccount.objects.exists()


def test_the_reader_refuses_danish_thousands_and_duplicates():
    with pytest.raises(InterchangeError) as err:
        read_accounts("year;function;amount\n2015;5.28.20;17.500.000\n2015;5.28.20;1\n")
    report = "\n".join(err.value.report())
    assert "accounts.csv:2: amount" in report
    rows = read_accounts("\ufeffyear,function,amount\n2015,5.28.20,-12.5\n")
    assert rows[0].amount == -12.5


def test_per_group_and_base_year(placed):  # noqa: F811
    plan(placed, placed.analyst, 2015)
    html = placed.client(placed.analyst).get(URL, {"group": "Pilot", "base": "2014"}).content
    assert b'<option value="Pilot" selected>' in html
    assert b'value="2014"' in html
