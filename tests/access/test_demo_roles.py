"""The demo has a login for every role, and psychologists and health visitors see cases shared
with them under consent (without consent they would see none)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from trappen.access import policy
from trappen.consent.models import Consent
from trappen.organisation.models import Profession, User


@pytest.fixture
def built(db: object) -> str:
    out = StringIO()
    call_command("demo", "--children", "120", "--yes", "--no-history", stdout=out)
    return out.getvalue()


def test_every_role_has_a_printed_login(built):
    usernames = {line.split()[0] for line in built.splitlines() if line.strip()}
    by_profession = {
        User.objects.get(username=name).profession
        for name in usernames
        if User.objects.filter(username=name).exists()
    }
    assert set(Profession.values) <= by_profession


@pytest.mark.parametrize("username", ["psykolog", "sundhedsplejerske"])
def test_shared_cases_are_visible_under_consent(built, client, username):
    user = User.objects.get(username=username)
    visible = list(policy.visible_cases(user))
    assert visible
    for case in visible:
        assert policy.may_share(case, user)
    client.force_login(user)
    case = visible[0]
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200
    # A team case not shared with them stays closed.
    other = user.team.cases.exclude(pk__in=[c.pk for c in visible]).first()
    assert client.get(reverse("cases:case", args=[other.pk])).status_code == 403


def test_a_withdrawn_consent_is_in_the_demo(built):
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()


@pytest.mark.parametrize("username", ["skole", "databeskyttelse", "analytiker"])
def test_roles_without_case_data_see_none(built, username):
    assert not policy.visible_cases(User.objects.get(username=username)).exists()
