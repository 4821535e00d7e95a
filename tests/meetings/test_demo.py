"""The demo municipality has a year of meetings with open and closed agreements."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.demo import generator
from trappen.meetings import services
from trappen.meetings.models import AgendaItem, Agreement, Meeting, Series, Submission
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


def test_the_schools_run_their_resource_centre_meetings_with_the_parents_informed(built):
    """Herningmodellen 1.0: "Det er skolerne som vil have det overordnede ansvar for afholdelse af
    møderne" and "fremlægges beskrivelsen for forældrene": in the demo each school's contact
    coordinates its series, an upcoming agenda is in the coordinator's order, and every
    child item from a submission has the parents informed."""
    schools = Series.objects.filter(kind=Series.Kind.RESOURCE_CENTRE, school__kind="school")
    assert schools.exists()
    for series in schools.select_related("school", "coordinator"):
        assert series.school.contacts.filter(pk=series.coordinator_id).exists()
    items = AgendaItem.objects.filter(kind="child", submission__isnull=False)
    assert items.exists() and not items.filter(parents_informed_on__isnull=True).exists()
    assert AgendaItem.objects.filter(
        meeting__series__in=schools, manual_position__isnull=False
    ).exists()
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
