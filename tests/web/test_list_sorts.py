"""Sortable columns and filters on the remaining lists (F10 point 3): each list's order follows
`?sort=`, a key not on its whitelist falls back to the default without an error, and the
filter narrows the rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.intake.models import Notification
from trappen.meetings import services as meetings
from trappen.meetings.models import School
from trappen.notices.models import Notice, notify
from trappen.organisation.models import Profession

pytestmark = pytest.mark.django_db


def test_meetings_sort_by_column_and_filter_by_kind_and_time(org):
    today = timezone.localdate()
    internal = meetings.create_internal_series(org.north)
    soon, later = meetings.plan(internal, today + timedelta(days=1), today + timedelta(days=15))[:2]
    later.place, soon.place = "A-salen", "B-salen"
    later.save()
    soon.save()
    held = meetings.plan(internal, today - timedelta(days=30), today - timedelta(days=30))[0]
    school = School.objects.create(name="Nordby Skole", district=org.d_north)
    resource = meetings.plan(
        meetings.create_resource_centre_series(school),
        today + timedelta(days=2),
        today + timedelta(days=2),
    )[0]
    client = org.client(org.cw1)
    url = reverse("meetings:list")

    def rows(**params):
        return [m.pk for m in client.get(url, params).context["meetings"]]

    assert rows() == [soon.pk, resource.pk, later.pk]  # coming, soonest first
    assert rows(sort="-date") == [later.pk, resource.pk, soon.pk]
    assert rows(sort="place", kind="internal") == [later.pk, soon.pk]
    assert rows(sort="0101151234") == rows()  # not a column: the default order
    assert rows(kind="resource_centre") == [resource.pk]
    assert rows(when="past") == [held.pk]
    assert rows(when="all", sort="date") == [held.pk, soon.pk, resource.pk, later.pk]
    page = client.get(url, {"sort": "-date", "kind": "internal"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert "kind=internal" in page  # the headers keep the filter


def test_messages_sort_by_column_and_filter_unread(org):
    old = notify(org.cw1, "B: ældre besked")
    Notice.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    new = notify(org.cw1, "A: ny besked")
    seen = notify(org.cw1, "C: læst besked")
    Notice.objects.filter(pk=seen.pk).update(
        created_at=timezone.now() - timedelta(days=1), read_at=timezone.now()
    )
    client = org.client(org.cw1)
    url = reverse("notices:list")

    def rows(**params):
        return [n.pk for n in client.get(url, params).context["page"].object_list]

    assert rows() == [new.pk, seen.pk, old.pk]  # newest first
    assert rows(sort="date") == [old.pk, seen.pk, new.pk]
    assert rows(sort="text") == [new.pk, old.pk, seen.pk]
    assert rows(sort="child") == rows()  # not a column: the default order
    assert rows(show="unread") == [new.pk, old.pk]
    # By read: the unread first one way, the read first the other (not unread last both ways).
    assert rows(sort="read")[-1] == seen.pk
    assert rows(sort="-read")[0] == seen.pk
    page = client.get(url, {"sort": "-text", "show": "unread"}).content.decode()
    assert 'aria-sort="descending"' in page and "show=unread" in page


def test_my_notifications_sort_by_column_and_filter_by_status(org):
    sara = org.user("sara", Profession.SCHOOL, None)
    case = org.case()
    now = timezone.now()

    def sent(hours, organisation, assessed=False):
        when = now - timedelta(hours=hours)
        return Notification.objects.create(
            child=case.child,
            case=case,
            received_at=when,
            source="school",
            content="Bekymring",
            registered_by=sara,
            notifier_organisation_name=organisation,
            assessment_deadline=when + timedelta(hours=24),
            assessed_at=now if assessed else None,
        )

    first, second, third = sent(30, "Nordby Skole", True), sent(20, "Asp Skole"), sent(10, "Bo")
    client = org.client(sara)
    url = reverse("intake:mine")

    def rows(**params):
        return [n.pk for n in client.get(url, params).context["rows"]]

    assert rows() == [third.pk, second.pk, first.pk]  # newest first
    assert rows(sort="sent") == [first.pk, second.pk, third.pk]
    assert rows(sort="organisation") == [second.pk, third.pk, first.pk]
    assert rows(sort="status") == rows()  # not a column: the default order
    assert rows(status="received") == [third.pk, second.pk]
    assert rows(status="assessed") == [first.pk]
    page = client.get(url, {"sort": "-organisation", "status": "received"}).content.decode()
    assert 'aria-sort="descending"' in page and "status=received" in page


def test_the_home_pages_notifications_sort_by_column(org):
    now = timezone.now()

    def unassessed(cpr, last_name, received_hours, deadline_hours):
        child = org.child(cpr)
        child.last_name = last_name
        child.save()
        return Notification.objects.create(
            child=child,
            received_at=now - timedelta(hours=received_hours),
            source="school",
            content="Bekymring",
            registered_by=org.leader,
            assessment_deadline=now + timedelta(hours=deadline_hours),
        )

    a = unassessed("0101151111", "Berg", 5, 19)
    b = unassessed("0101151112", "Aagaard", 1, 23)
    c = unassessed("0101151113", "Carlsen", 20, 4)
    client = org.client(org.cw1)
    url = reverse("dashboards:my_home")

    def rows(**params):
        return [n.pk for n in client.get(url, params).context["unassessed"]]

    assert rows() == [c.pk, a.pk, b.pk]  # the soonest deadline first
    assert rows(sort_notes="child") == [b.pk, a.pk, c.pk]
    assert rows(sort_notes="-received") == [b.pk, a.pk, c.pk]
    assert rows(sort_notes="cpr") == rows()  # not a column: the default order
    page = client.get(url, {"sort_notes": "-child"}).content.decode()
    assert 'aria-sort="descending"' in page and "sort_notes=child" in page


def test_a_number_typed_into_a_kept_parameter_is_not_echoed(org):
    # The sorting links keep the filters' words, never a CPR number someone typed there.
    client = org.client(org.cw1)
    page = client.get(reverse("notices:list"), {"show": "0101151234", "sort": "text"})
    assert "0101151234" not in page.content.decode()
    assert page.context["show"] == "all" and "?sort=-text" in page.content.decode()
    page = client.get(reverse("notices:list"), {"show": "unread", "sort": "text"})
    assert "?sort=-text&amp;show=unread" in page.content.decode()
