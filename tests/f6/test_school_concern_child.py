"""F6 point 10: a child created from a school's concern is unconfirmed until the team leader
confirms its name and district; later notifications do not silently follow the district the
school typed (docs/case-flow.md)."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from tests.intake.helpers import notifier_fields, organisation, works_at
from trappen.intake import services
from trappen.intake.models import Notification
from trappen.notices.models import Notice
from trappen.organisation.models import Profession

CPR = "0202201234"
CONCERN = "Eleven kommer ofte sulten i skole og har blå mærker på armene."


@pytest.fixture
def school(org):
    return works_at(org.user("sara", Profession.SCHOOL, None), organisation(org))


def concern(org, school, district, **names):
    data = {
        "cpr": CPR,
        "first_name": names.get("first_name", "Forkert"),
        "last_name": names.get("last_name", "Navn"),
        "district": district.pk,
        "content": CONCERN,
        **notifier_fields(school),
    }
    return org.client(school).post(reverse("intake:concern"), data)


def register_by_staff(org, by, district=None):
    from django.utils import timezone

    return services.register(
        cpr=CPR, first_name="Mikkel", last_name="Nordbarn", district=district,
        received_at=timezone.now(), source=Notification.Source.POLICE, content="Politiet ringede",
        by=by,
    )  # fmt: skip


def test_school_concern_child_is_unconfirmed(org, school):
    concern(org, school, org.d_south)
    notification = Notification.objects.get()
    assert notification.child_unconfirmed
    assert services.is_unconfirmed(notification.child)
    # The team leader sees it flagged in the queue and on the notification, and cannot
    # assign before confirming.
    queue = org.client(org.leader_south).get(reverse("dashboards:team")).content.decode()
    assert gettext("Not confirmed") in queue
    page = org.client(org.leader_south).get(reverse("intake:notification", args=[notification.pk]))
    assert gettext("Not confirmed") in page.content.decode()
    assert "assign_form" not in page.context or page.context["assign_form"] is None
    with pytest.raises(Exception, match="onfirm|Bekræft"):
        services.assign(notification, caseworker=org.cw_south, by=org.leader_south)


def test_a_child_registered_by_a_caseworker_is_confirmed(org):
    notification = register_by_staff(org, org.cw1, org.d_north)
    assert not notification.child_unconfirmed
    assert not services.is_unconfirmed(notification.child)


def test_team_leader_confirms_name_and_district_and_the_child_moves_team(org, school):
    concern(org, school, org.d_south)  # the school typed the wrong district and name
    notification = Notification.objects.get()
    url = reverse("intake:confirm_child", args=[notification.pk])
    # Another team's leader and a caseworker cannot confirm.
    assert org.client(org.leader).post(url, {}).status_code in (403, 404)
    response = org.client(org.leader_south).post(
        url, {"first_name": "Mikkel", "last_name": "Nordbarn", "district": org.d_north.pk}
    )
    assert response.status_code == 302
    child = notification.child
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.district) == (
        "Mikkel",
        "Nordbarn",
        org.d_north,
    )
    assert not services.is_unconfirmed(child)
    notification.refresh_from_db()
    assert notification.child_confirmed_by == org.leader_south
    # Now in the north team's queue, and its leader assigns.
    assert Notice.objects.filter(recipient=org.leader, case=None).exists()
    case = services.assign(notification, caseworker=org.cw1, by=org.leader)
    assert case.team == org.north


def test_a_refused_confirmation_says_why(org, school):
    concern(org, school, org.d_south)
    notification = Notification.objects.get()
    url = reverse("intake:confirm_child", args=[notification.pk])
    response = org.client(org.leader_south).post(url, {"first_name": "", "district": ""})
    assert response.status_code == 400
    assert services.is_unconfirmed(notification.child)


def test_later_notification_for_unconfirmed_child_does_not_follow_its_district_silently(
    org, school
):
    concern(org, school, org.d_south)
    Notice.objects.all().delete()
    later = register_by_staff(org, org.cw1, org.d_north)
    # Still the same child, still unconfirmed: no case, not silently south's.
    assert later.case is None
    assert later.child_unconfirmed
    assert later.stated_district == org.d_north
    child = later.child
    child.refresh_from_db()
    assert child.district == org.d_south
    # Both teams' leaders are told: the one who confirms, and the district the sender named.
    assert Notice.objects.filter(recipient=org.leader_south).exists()
    assert Notice.objects.filter(recipient=org.leader).exists()
    # The confirming team leader sees which district the later notification named.
    page = org.client(org.leader_south).get(reverse("intake:notification", args=[later.pk]))
    assert org.d_north.name in page.content.decode()


def test_a_second_school_concern_does_not_rename_an_unconfirmed_child(org, school):
    concern(org, school, org.d_south, first_name="Forkert", last_name="Navn")
    concern(org, school, org.d_north, first_name="Andet", last_name="Navn")
    assert Notification.objects.count() == 2
    child = Notification.objects.first().child
    child.refresh_from_db()
    assert (child.first_name, child.district) == ("Forkert", org.d_south)
    assert all(n.child_unconfirmed for n in Notification.objects.all())
