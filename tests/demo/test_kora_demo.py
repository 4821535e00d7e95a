"""End to end: `trappen demo` (with its history, as `make demo` runs it) → `trappen export` →
`trappen evaluate --json` on the CSV folder reproduces every published cell of KORA's tables,
with the database out of reach; and the demo it leaves is usable: logins, history, /steering/.

The demo is built once for the module inside a transaction that is rolled back afterwards.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from trappen.cases.models import Child
from trappen.core.cpr import parse
from trappen.demo import generator
from trappen.demo.kora import check, history, load, targets
from trappen.evaluation.formatting import show
from trappen.measures.models import Episode
from trappen.organisation.models import Team, User

MEDIO_2013, YEAR_2015 = targets.MEDIO_2013, targets.YEAR_2015
PUBLISHED_CELLS = 132  # tables 2.1, 2.2, 2.3, 2.5, 2.6, 3.1, 3.2 and 4.1 of KORA's report


@dataclass(frozen=True)
class Demo:
    output: str  # what `trappen demo` printed
    folder: Path  # what `trappen export` wrote


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo-export")
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", "--yes", stdout=out)  # default: 1,000 children and the history
        call_command("export", folder, stdout=StringIO())
        yield Demo(out.getvalue(), folder)
        transaction.set_rollback(True)


Runs = dict[tuple[date, date, str], dict[str, Any]]


def command_figures(folder: Path) -> tuple[check.Figures, Runs]:
    """`check.Figures` answered by `trappen evaluate FOLDER … --json`, once per period and
    grouping; also the parsed output of each run made."""
    runs: Runs = {}

    def figures(period: tuple[date, date], group_by: str) -> dict[str, Any]:
        start, end = period
        if (start, end, group_by) not in runs:
            out = StringIO()
            call_command(
                "evaluate",
                str(folder),
                "--from",
                start.isoformat(),
                "--to",
                end.isoformat(),
                "--group-by",
                group_by,
                "--json",
                stdout=out,
                stderr=StringIO(),
            )
            data = json.loads(out.getvalue())
            assert data["period"]["from"] == start.isoformat()
            assert data["period"]["to"] == end.isoformat()
            assert data["group_by"] == group_by
            runs[start, end, group_by] = data
        return runs[start, end, group_by]

    return figures, runs


def test_trappen_evaluate_on_the_export_reproduces_kora_from_csv_alone(demo, db, django_db_blocker):
    figures, runs = command_figures(demo.folder)
    with django_db_blocker.block():  # any database query would fail here
        cells = check.reproduce(figures)
    assert {c.table for c in cells} == {"2.1", "2.2", "2.3", "2.5", "2.6", "3.1", "3.2", "4.1"}
    assert len(cells) == PUBLISHED_CELLS
    off = [str(c) for c in cells if not c.ok]
    assert not off, "\n".join(off)
    # Each period and grouping was asked of the command once (medio 2013, 2013, 2014, 2015).
    assert len(runs) == 6


def test_the_demo_holds_the_calibrated_history_as_built(demo, db):
    expected = history.build(
        generator.DEFAULT_SEED + load.HISTORY_SEED_OFFSET,
        {"pilot": generator.PILOT_DISTRICTS, "other": generator.OTHER_DISTRICTS},
    )
    child_ids = expected.children["child_id"].to_list()
    children = list(Child.objects.filter(external_id__in=child_ids))
    assert len(children) == len(child_ids)
    episodes = set(
        Episode.objects.filter(
            external_id__in=expected.episodes["episode_id"].to_list()
        ).values_list("external_id", "case__child__external_id", "start_on", "end_on")
    )
    columns = ("episode_id", "child_id", "start_date", "end_date")
    assert episodes == set(expected.episodes.select(columns).rows())
    # The historical teams took the cases; the live demo's teams are there too.
    teams = set(Team.objects.values_list("name", flat=True))
    assert set(targets.TEAMS.values()) <= teams
    assert teams - set(targets.TEAMS.values())
    # The history's children got fictitious names and CPR numbers that fit them.
    today = timezone.localdate()
    for child in children:
        assert child.first_name and child.last_name
        parsed = parse(child.cpr, today)
        assert (parsed.birth_date, parsed.sex.value) == (child.birth_date, child.sex)
    cprs = list(Child.objects.values_list("cpr", flat=True))
    assert len(set(cprs)) == len(cprs)
    # The live demo's children (no external id) are there beside the history's.
    assert Child.objects.filter(external_id="").count() == generator.DEFAULT_CHILDREN


def printed_logins(output: str) -> dict[str, str]:
    """username → password from the table `trappen demo` prints at the end."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    logins = {}
    for line in lines[start:]:
        if not line.strip():
            break
        username, password = line.split()[:2]
        logins[username] = password
    return logins


def test_the_printed_logins_work(demo, db):
    logins = printed_logins(demo.output)
    assert {"sagsbehandler", "teamleder", "analytiker", "admin"} <= set(logins)
    for username, password in logins.items():
        assert Client().login(username=username, password=password), username
    assert User.objects.get(username="teamleder").team.districts.filter(group__name="Pilot")


def pilot_row(html: str, table: str) -> list[str]:
    """The cells of the Pilot's row in the table with key `table` of the steering page."""
    section = html.split(f'id="table-{table}"', 1)[1]
    row = re.search(r'<th scope="row">Pilot</th>(.*?)</tr>', section, re.S)
    assert row is not None
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


@pytest.mark.parametrize("username", ["analytiker", "teamleder"])
def test_steering_shows_the_pilot_s_figures_of_the_evaluation(demo, db, username):
    cache.clear()  # figures are kept per query; another test may have left some of another db
    client = Client()
    assert client.login(username=username, password=printed_logins(demo.output)[username])
    query = {
        "start": YEAR_2015[0].isoformat(),
        "end": YEAR_2015[1].isoformat(),
        "group_by": "group",
        "compare_start": MEDIO_2013[0].isoformat(),
        "compare_end": MEDIO_2013[1].isoformat(),
        "treated": targets.GROUPS["pilot"],
        "control": targets.GROUPS["other"],
    }
    response = client.get(reverse("evaluation:index"), query)
    assert response.status_code == 200
    html = response.content.decode()
    before = targets.aarsboern("pilot", "medio_2013").total
    after = targets.aarsboern("pilot", "ultimo_2015").total
    figures = response.context["figures"]
    computed = figures.before.groups["Pilot"].placed_aarsboern.total
    assert computed == pytest.approx(before, abs=0.005)
    computed = figures.after.groups["Pilot"].placed_aarsboern.total
    assert computed == pytest.approx(after, abs=0.005)
    # Table 2.1 shows the published numbers of the pilot before and after, as the page formats.
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        shown = [show(before, "dec2"), show(after, "dec2")]
    assert pilot_row(html, "2.1")[:2] == shown
    cache.clear()
