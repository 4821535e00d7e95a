"""The steering's simulation page (/steering/simulation/): who may use it, the bundled and an
uploaded scenario, clear errors for a bad file, bounded runs, the fan chart and the workbook."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.evaluation.conftest import placed  # noqa: F401  (the fixture)

URL = "simulation:page"
BASE = {"scenario": "herning-model", "years": "3", "runs": "200", "seed": "7"}
OWN = b"""name = "Fewer institution entries"
source = "test"
assumptions = ["half as many moves into an institution"]
[changes]
fewer_institution_entries = 0.5
"""


@pytest.fixture
def world(placed):  # noqa: F811  (the fixture imported above)
    return placed


def post(org, who, data, files=None):
    return org.client(who).post(reverse(URL), {**data, **(files or {})})


@pytest.mark.parametrize(("who", "status"), [("cw1", 403), ("psych", 403), ("analyst", 200)])
def test_access(world, who, status):
    assert world.client(getattr(world, who)).get(reverse(URL)).status_code == status


def test_the_bundled_scenario_gives_the_fan_chart_and_the_assumptions(world):
    response = post(world, world.analyst, BASE)
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    assert html.count('<svg class="fan"') == 3
    assert "<polygon" in html  # the 10-90 % band
    assert "Half of the fall in institution" in html  # the scenario's assumptions listed
    assert "residential_institution" in html  # placements by type
    assert "<script>" not in html


def test_the_same_seed_gives_the_same_page(world):
    first = post(world, world.analyst, BASE).content
    second = post(world, world.analyst, BASE).content
    strip = lambda b: b.decode().split('name="csrfmiddlewaretoken"')[-1]  # noqa: E731
    assert strip(first).split("</form>")[1] == strip(second).split("</form>")[1]


def test_an_uploaded_scenario(world):
    upload = {"file": SimpleUploadedFile("mine.toml", OWN)}
    response = post(world, world.analyst, {**BASE, "scenario": "upload"}, upload)
    assert response.status_code == 200
    assert "Fewer institution entries" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (OWN.replace(b"fewer_institution_entries = 0.5", b"fewer_institution_entries = 1.5"),
         "outside 0-1"),
        (OWN + b"colour = 1\n", "unknown key"),
        (b"name = ", "not valid TOML"),
        (b"\xff\xfe", "UTF-8"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_clear_message(world, content, message):
    upload = {"file": SimpleUploadedFile("bad.toml", content)}
    response = post(world, world.analyst, {**BASE, "scenario": "upload"}, upload)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_upload_chosen_without_a_file(world):
    response = post(world, world.analyst, {**BASE, "scenario": "upload"})
    assert response.status_code == 400


def test_runs_are_bounded_for_the_web(world):
    response = post(world, world.analyst, {**BASE, "runs": "50000"})
    assert response.status_code == 400
    assert 'value="50000"' in response.content.decode()  # nothing typed is lost


def test_the_excel_download(world):
    response = post(world, world.analyst, {**BASE, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 3
    saving = book.worksheets[1]
    assert saving.max_row == 1 + 3  # a row per year


def test_every_bundled_scenario_parses():
    from trappen.core.simulation.scenario import parse_scenario
    from trappen.simulation.forms import bundled

    assert bundled()
    for path in bundled().values():
        parse_scenario(path.read_text(encoding="utf-8"))
