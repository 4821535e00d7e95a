"""Who has seen this child's case? The page, its JSON, and who may ask."""

import pytest
from django.test import Client
from django.urls import reverse

from trappen.access.policy import may_view_audit
from trappen.audit.models import AuditAction, AuditEntry
from trappen.organisation.models import Profession


@pytest.fixture
def seen(world):
    """The caseworker and a colleague looked at the case; another team's caseworker tried."""
    for who in (world.cw1, world.cw2, world.cw_south):
        world.org.client(who).get(reverse("cases:case", args=[world.case.pk]))
    return world


def url(world, **query: str) -> str:
    base = reverse("audit:child_history", args=[world.case.child.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_team_leader_sees_every_look_at_the_child(seen):
    client = seen.org.client(seen.leader)
    logged = AuditEntry.objects.about_child(seen.case.child.pk).count()
    response = client.get(url(seen))
    assert response.status_code == 200
    lines = response.context["lines"]
    viewers = [line["entry"].actor for line in lines if line["entry"].action == AuditAction.READ]
    # Newest first; the refused look (another team, 404) is not a look.
    assert viewers == [seen.cw2, seen.cw1]
    assert len(lines) == logged
    assert seen.cw2.get_full_name() in response.content.decode()


def test_the_json_answer_lists_the_same_entries(seen):
    client = seen.org.client(seen.leader)
    stored = list(AuditEntry.objects.about_child(seen.case.child.pk).order_by("-id"))
    data = client.get(url(seen, format="json")).json()
    assert data["count"] == len(stored)
    assert [e["id"] for e in data["entries"]] == [e.pk for e in stored]
    reads = [e for e in data["entries"] if e["action"] == "read"]
    assert [(e["user"], e["profession"]) for e in reads] == [
        ("bent", Profession.CASEWORKER),
        ("anna", Profession.CASEWORKER),
    ]
    assert seen.case.child.cpr not in str(data)


def test_asking_is_itself_logged(seen):
    client = seen.org.client(seen.leader)
    client.get(url(seen))
    data = client.get(url(seen, format="json")).json()
    first = data["entries"][0]
    assert (first["action"], first["user"], first["object_type"]) == (
        "read",
        "lise",
        "cases.child",
    )


def test_the_data_protection_officer_may_ask(seen):
    dpo = seen.org.user("dora", Profession.DATA_PROTECTION, None)
    assert seen.org.client(dpo).get(url(seen)).status_code == 200


@pytest.mark.parametrize("who", ["cw1", "psych", "leader_south", "analyst"])
def test_others_may_not_ask(seen, who):
    user = getattr(seen, who)
    assert not may_view_audit(user, seen.case.child)
    client = seen.org.client(user)
    before = AuditEntry.objects.count()
    assert client.get(url(seen)).status_code == 403
    assert client.get(url(seen, format="json")).status_code == 403
    assert AuditEntry.objects.count() == before


def test_anonymous_is_sent_to_login_and_an_unknown_child_is_404(seen):
    response = Client().get(url(seen))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    unknown = reverse("audit:child_history", args=[seen.case.child.pk + 1000])
    assert seen.org.client(seen.leader).get(unknown).status_code == 404


def test_a_long_history_is_paginated(seen):
    client = seen.org.client(seen.cw1)
    for _ in range(60):
        client.get(reverse("cases:case", args=[seen.case.pk]))
    leader = seen.org.client(seen.leader)
    logged = set(AuditEntry.objects.about_child(seen.case.child.pk).values_list("id", flat=True))
    first = leader.get(url(seen))
    assert first.context["page"].paginator.num_pages == 2
    second = leader.get(url(seen, page="2"))  # one entry more now: the first look
    shown = [line["entry"].pk for r in (first, second) for line in r.context["lines"]]
    assert logged <= set(shown)
    assert len(first.context["lines"]) == 50


def test_the_openings_sort_by_column_and_filter_by_action(seen):
    # F10 point 3: sortable columns and a filter on every list. Each look at the page is itself
    # logged, so the rows are compared on the entries there were before.
    client = seen.org.client(seen.leader)
    before = set(AuditEntry.objects.about_child(seen.case.child.pk).values_list("pk", flat=True))

    def rows(**query):
        lines = client.get(url(seen, **query)).context["lines"]
        return [line["entry"] for line in lines if line["entry"].pk in before]

    newest_first = rows()
    assert [e.pk for e in newest_first] == sorted(before, reverse=True)
    assert rows(sort="when") == newest_first[::-1]
    assert [e.actor for e in rows(action="read", sort="who")] == [seen.cw1, seen.cw2]
    assert rows(sort="0101151234") == newest_first  # not a column: the default order
    assert [e.actor for e in rows(action="read")] == [seen.cw2, seen.cw1]
    assert rows(action="create") == [e for e in newest_first if e.action == AuditAction.CREATE]
    page = client.get(url(seen, sort="-who", action="read")).content.decode()
    assert 'aria-sort="descending"' in page and "action=read" in page
