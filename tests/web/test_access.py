"""The access policy (trappen/access/policy.py) as the web views apply it.

A case is read by the caseworkers and team leader of its team, by a psychologist or health
visitor it is shared with under a valid consent, and by the receiving team leader of a pending
transfer; it is changed by its caseworker and the team leader; nobody else sees case content
(the permission matrix in tests/access covers every URL and role). The CPR number is only ever
shown masked and never travels in a URL.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.cases import services as cases
from trappen.cases.models import Child, JournalEntry
from trappen.intake import services as intake
from trappen.intake.models import Notification
from trappen.investigations import services as investigations
from trappen.measures import services as measures
from trappen.plans import services as plans

from .test_flow import CPR, MASKED_CPR, day, flash, local_minute, run_flow, shows, text


@pytest.fixture
def world(org):
    """A north case with an investigation, a plan, a measure and a notification."""
    case = org.case()
    today = timezone.localdate()
    inv = investigations.start(case, started_on=today, by=org.cw1)
    plans.revise(
        case,
        purpose="Tryg hverdag",
        goals=[{"goal": "Mål", "who": "Forældrene", "progress_sign": "Ses", "due_on": today}],
        by=org.cw1,
    )
    episode = measures.start(
        case,
        intervention=org.intervention(1),
        start_on=today,
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=500,
        by=org.cw1,
    )
    notification = intake.register(
        cpr=case.child.cpr,
        first_name="",
        last_name="",
        district=None,
        received_at=timezone.now() - timedelta(hours=1),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )
    return SimpleNamespace(
        org=org, case=case, inv=inv, episode=episode, notification=notification, **vars(org)
    )


def case_pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    """The pages that show case content (GET)."""
    pk = world.case.pk
    return [
        reverse("cases:case", args=[pk]),
        reverse("plans:action_plan", args=[pk]),
        reverse("plans:revision", args=[pk, 1]),
        reverse("investigations:investigation", args=[world.inv.pk]),
        reverse("intake:notification", args=[world.notification.pk]),
    ]


def edit_pages(world) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, url) of every view that changes the case."""
    pk = world.case.pk
    return [
        ("post", reverse("cases:journal_add", args=[pk])),
        ("get", reverse("cases:early_step_add", args=[pk])),
        ("post", reverse("cases:early_step_add", args=[pk])),
        ("get", reverse("investigations:start", args=[pk])),
        ("post", reverse("investigations:network_add", args=[world.inv.pk])),
        ("post", reverse("investigations:complete", args=[world.inv.pk])),
        ("get", reverse("plans:revise", args=[pk])),
        ("post", reverse("plans:revise", args=[pk])),
        ("get", reverse("measures:episode_add", args=[pk])),
        ("post", reverse("measures:episode_end", args=[world.episode.pk])),
        ("get", reverse("cases:transfer", args=[pk])),
        ("get", reverse("cases:close", args=[pk])),
        ("post", reverse("cases:close", args=[pk])),
    ]


def denied(world, url):
    """404 for a case's pages; the case page itself says "Ingen adgang" (403, F10 point 3)."""
    return 403 if url == reverse("cases:case", args=[world.case.pk]) else 404


def test_caseworker_of_another_team_gets_404_everywhere(world):
    sofie = world.org.client(world.cw_south)
    for url in case_pages(world):
        assert sofie.get(url).status_code == denied(world, url), url
    for method, url in edit_pages(world):
        assert getattr(sofie, method)(url).status_code == 404, url
    assert sofie.post(reverse("intake:assess", args=[world.notification.pk])).status_code == (404)
    assert list(sofie.get(reverse("cases:list")).context["page"].object_list) == []
    response = sofie.get(reverse("dashboards:team"))
    assert "Testa Barnesen" not in text(response)
    assert world.case.child.masked_cpr not in text(sofie.get(reverse("dashboards:my_home")))


def test_analyst_sees_no_case_content(world):
    alma = world.org.client(world.analyst)
    for url in case_pages(world):
        assert alma.get(url).status_code == denied(world, url), url
    response = alma.get(reverse("cases:list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    shows(response, "Ingen sager.")
    assert "Testa Barnesen" not in text(response)
    response = alma.get(reverse("dashboards:home"), follow=True)  # key figures only (F10)
    shows(response, "Nøgletal")
    assert "Testa Barnesen" not in text(alma.get(reverse("dashboards:my_home")))
    assert alma.get(reverse("intake:new")).status_code == 403


@pytest.mark.parametrize("who", ["cw2", "psych"])
def test_same_team_colleague_views_but_cannot_edit(world, who):
    if who == "psych":  # a psychologist reads only a case shared with them under consent
        share_with_consent(world.case, world.psych, by=world.cw1)
    client = world.org.client(getattr(world, who))
    for url in case_pages(world):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("cases:case", args=[world.case.pk]))
    assert response.context["may_edit"] is False
    assert reverse("cases:journal_add", args=[world.case.pk]) not in text(response)
    assert reverse("measures:episode_end", args=[world.episode.pk]) not in text(response)
    response = client.get(reverse("investigations:investigation", args=[world.inv.pk]))
    assert reverse("investigations:complete", args=[world.inv.pk]) not in text(response)
    for method, url in edit_pages(world):
        assert getattr(client, method)(url).status_code == 403, url
    response = client.post(
        reverse("cases:journal_add", args=[world.case.pk]), {"heading": "note", "text": "Forsøg"}
    )
    assert response.status_code == 403
    assert not JournalEntry.objects.exists()


def test_psychologist_of_the_team_without_sharing_and_consent_sees_nothing(world):
    client = world.org.client(world.psych)
    for url in case_pages(world):
        assert client.get(url).status_code == denied(world, url), url
    assert list(client.get(reverse("cases:list")).context["page"].object_list) == []


def test_team_leader_can_edit(world):
    lise = world.org.client(world.leader)
    for method, url in edit_pages(world):
        if method == "get":
            assert lise.get(url).status_code == 200, url
    response = lise.post(
        reverse("cases:journal_add", args=[world.case.pk]),
        {"heading": "meeting", "text": "Teammøde om sagen."},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("cases:case", args=[world.case.pk]), 302)]
    entry = JournalEntry.objects.get()
    assert (entry.case, entry.author) == (world.case, world.leader)
    shows(response, "Journalnotatet er gemt.", "Teammøde om sagen.")


def test_receiving_team_leader_sees_a_pending_transfer_but_cannot_edit(world):
    measures.end(world.episode, end_on=timezone.localdate(), end_reason="moved")
    cases.request_transfer(
        world.case,
        to_district=world.d_south,
        receiving_team_leader=world.leader_south,
        handover_meeting_on=timezone.localdate(),
        by=world.cw1,
    )
    svend = world.org.client(world.leader_south)
    assert svend.get(reverse("cases:case", args=[world.case.pk])).status_code == 200
    assert svend.get(reverse("cases:receive", args=[world.case.pk])).status_code == 200
    assert svend.get(reverse("cases:early_step_add", args=[world.case.pk])).status_code == 403
    # Nobody else in the receiving team sees it before it is received.
    sofie = world.org.client(world.cw_south)
    assert sofie.get(reverse("cases:case", args=[world.case.pk])).status_code == 403
    # The sending team may not receive its own transfer.
    assert (
        world.org.client(world.leader)
        .get(reverse("cases:receive", args=[world.case.pk]))
        .status_code
        == 403
    )


def test_anonymous_user_is_sent_to_login_from_every_page(world):
    anonymous = Client()
    pk = world.case.pk
    urls = [
        reverse("dashboards:home"),
        reverse("dashboards:my_home"),
        reverse("dashboards:team"),
        reverse("notices:list"),
        reverse("notices:read"),
        reverse("cases:list"),
        reverse("intake:new"),
        reverse("intake:assess", args=[world.notification.pk]),
        reverse("intake:assign", args=[world.notification.pk]),
        reverse("cases:receive", args=[pk]),
        *case_pages(world),
        *[url for _, url in edit_pages(world)],
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code == 302, (method, url)
            assert response.url.startswith(reverse("login") + "?next="), (method, url)
    assert not JournalEntry.objects.exists()


def test_cpr_is_never_shown_in_full_nor_put_in_a_url(org, monkeypatch):
    visited: list[tuple[str, str, str]] = []
    original = Client.request

    def recording(self, **request):  # type: ignore[no-untyped-def]
        response = original(self, **request)
        url = request["PATH_INFO"] + "?" + request.get("QUERY_STRING", "")
        visited.append((url, response.get("Location", ""), response.content.decode()))
        return response

    monkeypatch.setattr(Client, "request", recording)
    case = run_flow(org)
    pages = [page for _, _, page in visited]
    assert len(pages) > 50
    assert sum(MASKED_CPR in page for page in pages) > 10
    assert case.child.cpr == CPR
    for child in Child.objects.all():
        full = re.compile(rf"{child.cpr[:6]}\s*-?\s*{child.cpr[6:]}")
        for url, location, page in visited:
            assert not full.search(url) and not full.search(location), url
            assert not full.search(page), f"full CPR of {child} shown on {url}"


def test_old_team_loses_access_after_the_transfer_is_received(world):
    measures.end(world.episode, end_on=timezone.localdate(), end_reason="moved")
    transfer = cases.request_transfer(
        world.case,
        to_district=world.d_south,
        receiving_team_leader=world.leader_south,
        handover_meeting_on=timezone.localdate(),
        by=world.cw1,
    )
    cases.complete_transfer(transfer, caseworker=world.cw_south, by=world.leader_south)
    for user in (world.cw1, world.leader, world.cw2):
        client = world.org.client(user)
        assert client.get(reverse("cases:case", args=[world.case.pk])).status_code == 403
        assert client.post(reverse("cases:journal_add", args=[world.case.pk])).status_code == 404
    sofie = world.org.client(world.cw_south)
    assert sofie.get(reverse("cases:case", args=[world.case.pk])).status_code == 200
    response = sofie.post(
        reverse("cases:close", args=[world.case.pk]),
        {"closed_on": day(timezone.localdate()), "reason": "no_need"},
    )
    assert response.status_code == 200  # refused: the investigation is still open
    shows(response, "Afslut den igangværende børnefaglige undersøgelse, før sagen lukkes.")


def test_caseworker_registering_for_another_teams_district_gets_a_confirmation(org):
    response = org.client(org.cw1).post(
        reverse("intake:new"),
        {
            "cpr": "0202164321",
            "first_name": "Ny",
            "last_name": "Sydbarn",
            "district": org.d_south.pk,
            "received_at": local_minute(-timedelta(hours=1)),
            "source": "police",
            "notifier_name": "Vagthavende",
            "notifier_phone": "114",
            "content": "Politiet ringede om natten.",
        },
        follow=True,
    )
    notification = Notification.objects.get()
    assert notification.child.district == org.d_south and notification.case is None
    # Routed to the south team leader, who finds it in the queue.
    queue = org.client(org.leader_south).get(reverse("dashboards:team")).context["queue"]
    assert [n.pk for n in queue] == [notification.pk]
    # The caseworker who took the call is told it went through, on a page they may see.
    assert response.status_code == 200
    assert flash(response) == ["Registreret; afventer teamlederens fordeling."]
