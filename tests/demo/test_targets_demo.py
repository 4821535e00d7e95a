"""The programme's targets in `make demo`'s municipality (F13 point 5, F10 point 4): the team
leader lands on the team page, which loads the targets with a light for every figure the demo
has, per district group and over time; the analyst's home the same; the other roles' homes
have no such slot."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from trappen.core.targets import Light
from trappen.organisation.models import Profession, User

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_demos_leader_and_analyst_see_the_targets_on_their_home():
    call_command("demo", "--children", "120", "--yes", "--no-history", stdout=StringIO())
    slot = f'hx-get="{reverse("dashboards:targets")}"'
    for profession in (Profession.TEAM_LEADER, Profession.ANALYST):
        user = User.objects.filter(profession=profession, is_active=True).first()
        client = _client(user)
        home = client.get(reverse("dashboards:home"), follow=True)
        assert home.status_code == 200 and slot in home.content.decode(), profession
        response = client.get(reverse("dashboards:targets"), headers=HX)
        assert response.status_code == 200
        board = response.context["board"]
        rows = {row.target.key: row for row in board.rows}
        assert set(rows) == {
            "family_care_share", "mean_caseload", "followups_on_time", "assessments_on_time",
            "sdq_coverage",
        }  # fmt: skip
        # The demo places children, has caseworkers, notifications, follow-ups and SDQs:
        # every target has a light, in total and for both district groups.
        for key, row in rows.items():
            assert row.light != Light.UNMEASURED, key
            assert {name for name, _reading in row.groups} >= {"Pilot", "Øvrige"}
        assert len(board.slices) == 4
        assert rows["sdq_coverage"].over_time[-1].value is not None
    for profession in (Profession.CASEWORKER, Profession.PSYCHOLOGIST):
        user = User.objects.filter(profession=profession, is_active=True).first()
        home = _client(user).get(reverse("dashboards:home"), follow=True)
        assert home.status_code == 200 and slot not in home.content.decode(), profession
