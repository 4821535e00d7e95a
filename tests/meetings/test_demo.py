"""The demo municipality has a year of meetings with open and closed agreements."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.demo import generator
from trappen.meetings import services
from trappen.meetings.models import Agreement, Meeting, Series, Submission
from trappen.organisation.models import Profession, User


@pytest.fixture
def built(db):
    generator.build(children=120)


def test_a_year_of_meetings_with_open_and_closed_agreements(built):
    today = timezone.localdate()
    for kind in Series.Kind.values:
        days = sorted(m.day for m in Meeting.objects.filter(series__kind=kind))
        assert days[0] <= today - timedelta(days=330), kind
        assert days[-1] > today, kind
    assert Agreement.objects.filter(closed_on__isnull=True).exists()
    assert Agreement.objects.filter(closed_on__isnull=False).exists()
    assert Submission.objects.filter(kind=Submission.Kind.CHILD, parents_shown=True).exists()
    assert not Submission.objects.filter(kind=Submission.Kind.CHILD, parents_shown=False).exists()
    # Agreements are closed at a later meeting of their own series.
    for a in Agreement.objects.filter(closed_at__isnull=False).select_related(
        "made_at", "closed_at"
    ):
        assert a.closed_at.series_id == a.series_id
        assert a.closed_at.starts_at > a.made_at.starts_at


def test_the_demo_users_see_their_meetings(built, client):
    worker = User.objects.get(username="sagsbehandler")
    client.force_login(worker)
    meeting = services.team_meetings(worker.team).filter(series__kind="internal").last()
    assert client.get(reverse("meetings:list")).status_code == 200
    assert client.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 200
    contact = User.objects.get(username="laerer1")
    assert contact.profession == Profession.SCHOOL
    client.force_login(contact)
    assert client.get(reverse("meetings:submit")).status_code == 200
