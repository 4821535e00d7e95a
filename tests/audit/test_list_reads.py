"""List pages write a READ entry for each case or notification they render, and no other."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.audit.log import note_reads
from trappen.audit.models import AuditEntry
from trappen.audit.verify import verify
from trappen.intake import services as intake

from .conftest import last_sequence, reads


def read_pks(since: int, object_type: str) -> list[int]:
    return sorted(int(e.object_pk) for e in reads(since) if e.object_type == object_type)


@pytest.fixture
def many(org):
    """More open cases in the north team than the case list shows on one page."""
    return [
        org.case(org.child(cpr=f"010115{i:04d}"), org.cw1 if i % 2 else org.cw2) for i in range(53)
    ]


def test_the_case_list_logs_the_cases_on_its_page_only(org, many):
    client = org.client(org.leader)
    since = last_sequence()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    shown = sorted(case.pk for case in response.context["page"].object_list)
    assert 0 < len(shown) < len(many)
    assert read_pks(since, "cases.case") == shown
    assert len(reads(since)) == len(shown)  # nothing else counted as a look
    assert {e.actor for e in reads(since)} == {org.leader}
    assert {e.url_name for e in reads(since)} == {"cases:list"}

    since = last_sequence()
    response = client.get(reverse("cases:list") + "?page=2")
    rest = sorted(case.pk for case in response.context["page"].object_list)
    assert read_pks(since, "cases.case") == rest
    assert sorted(shown + rest) == sorted(case.pk for case in many)
    assert verify().problem is None


def test_my_overview_logs_the_caseworkers_cases_and_unassessed_notifications(world):
    other = world.org.case(world.org.child(cpr="0202151234"), world.cw2)
    since = last_sequence()
    response = world.org.client(world.cw1).get(reverse("dashboards:my_home"))
    assert response.status_code == 200
    listed = sorted(case.pk for case in response.context["cases"])
    assert world.case.pk in listed and other.pk not in listed
    assert read_pks(since, "cases.case") == listed
    notifications = sorted(n.pk for n in response.context["unassessed"])
    assert world.notification.pk in notifications
    assert read_pks(since, "intake.notification") == notifications


def test_the_team_view_logs_the_notifications_in_its_queue(world):
    waiting = world.org.child(cpr="0303151234")
    notification = intake.register(
        cpr=waiting.cpr,
        first_name="",
        last_name="",
        district=None,
        received_at=timezone.now() - timedelta(hours=2),
        source="school",
        content="Bekymring",
        by=world.cw1,
    )
    since = last_sequence()
    response = world.org.client(world.leader).get(reverse("dashboards:team"))
    assert response.status_code == 200
    queue = [n.pk for n in response.context["queue"]]
    assert notification.pk in queue
    assert set(queue) <= set(read_pks(since, "intake.notification"))


def test_a_page_showing_no_case_logs_no_read(org, many):
    since = last_sequence()
    response = org.client(org.leader).get(reverse("cases:list") + "?status=closed")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    response = org.client(org.cw_south).get(reverse("dashboards:my_home"))
    assert response.status_code == 200
    assert reads(since) == []


def test_the_child_history_names_the_list_page_among_the_looks(org, many):
    org.client(org.cw1).get(reverse("cases:list"))
    child = many[0].child
    response = org.client(org.leader).get(reverse("audit:child_history", args=[child.pk]))
    assert response.status_code == 200
    # F10 point 9: list-page sightings are grouped per person and day below the openings.
    assert not any(line["entry"].url_name == "cases:list" for line in response.context["lines"])
    [group] = [g for g in response.context["sightings"] if g["username"] == org.cw1.username]
    assert group["count"] == 1 and list(group["pages"]) == [reverse("cases:list")]
    assert "case list" in group["pages"].values() or "sagsliste" in group["pages"].values()


def test_openings_come_first_and_list_sightings_are_grouped_per_person_and_day(org, many):
    """F10 point 9: 58 dashboard sightings in 30 minutes drowned the openings of the case."""
    child = many[0].child
    client = org.client(org.cw1)
    for _ in range(5):
        client.get(reverse("cases:list"))
        client.get(reverse("dashboards:my_home"))
    client.get(reverse("cases:case", args=[many[0].pk]))
    response = org.client(org.leader).get(reverse("audit:child_history", args=[child.pk]))
    openings = [line["entry"] for line in response.context["lines"]]
    assert [e.url_name for e in openings if e.actor == org.cw1] == ["cases:case"]
    mine = [g for g in response.context["sightings"] if g["username"] == org.cw1.username]
    assert len(mine) == 1 and mine[0]["count"] >= 5
    html = response.content.decode()
    assert html.index("Åbninger af sagen") < html.index("Set på lister")


def test_outside_a_request_each_distinct_object_is_named_once(org):
    case = org.case()
    since = last_sequence()
    note_reads([case, case, case.child])
    [entry] = AuditEntry.objects.filter(pk__gt=since)  # one entry naming both
    written = reads(since)
    assert sorted((e.object_type, e.object_pk) for e in written) == [
        ("cases.case", str(case.pk)),
        ("cases.child", str(case.child.pk)),
    ]
    assert {e.child_pk for e in written} == {case.child.pk}
    assert verify().problem is None


def test_messages_naming_a_visible_case_log_that_case_and_no_other(org):
    from trappen.notices.models import notify

    mine, other_team = org.case(), org.case(org.child(cpr="0101159999"), org.cw_south)
    notify(org.cw1, "Ny opfølgning", case=mine)
    notify(org.cw1, "Gammel besked", case=other_team)  # e.g. after a transfer: not visible
    since = last_sequence()
    assert org.client(org.cw1).get(reverse("notices:list")).status_code == 200
    assert read_pks(since, "cases.case") == [mine.pk]
