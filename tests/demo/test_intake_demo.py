"""The demo shows intake as it happens (F8 point 4): real notifier organisations, an anonymous
notification, an inquiry, a network-meeting request and a duty roster for every team."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.demo.test_demo import demo
from trappen.intake.models import DutyShift, Notification
from trappen.organisation.models import Team, User


@pytest.fixture
def built(db: object) -> str:
    return demo()


def test_the_demo_shows_real_notifiers_an_anonymous_one_an_inquiry_and_rosters(built):
    named = Notification.objects.exclude(notifier_organisation=None)
    assert {"day_care", "health_visitor", "school"} <= set(named.values_list("source", flat=True))
    day_care = named.filter(source="day_care").first()
    assert day_care is not None and day_care.notifier_organisation.kind == "day_care"
    anonymous = Notification.objects.filter(source="anonymous")
    assert anonymous.filter(content__startswith="Anonym opringning").exists()
    assert not anonymous.exclude(notifier_name="", notifier_phone="").exists()
    assert Notification.objects.filter(kind="inquiry").exists()
    assert Notification.objects.filter(kind="network_meeting").exists()
    for team in Team.objects.exclude(members=None).order_by("pk"):
        if team.caseworkers().exists():
            assert DutyShift.objects.filter(team=team).exists(), team
    assert Notification.objects.exclude(offered_to=None).exists()


def test_the_demo_school_contact_finds_their_notification_with_its_receipt(built, client):
    skole = User.objects.get(username="skole")
    client.force_login(skole)
    page = client.get(reverse("intake:mine")).content.decode()
    mine = Notification.objects.filter(registered_by=skole).order_by("pk").first()
    assert mine is not None and mine.receipt_sent_on is not None
    assert mine.reference in page


def test_the_demos_older_urgent_paths_are_ended_only_the_recent_flag_their_case(built):
    # F10 point 6 b: a case is *Akut* until the urgent action is recorded as carried out; the
    # demo's history would otherwise flag every case that ever had a "Ja, akut".
    urgent = Notification.objects.filter(urgent_action=True)
    assert urgent.exclude(urgent_handled_at=None).exists()
    old = timezone.now() - timedelta(days=3)
    assert not urgent.filter(urgent_handled_at=None, received_at__lt=old).exists()
