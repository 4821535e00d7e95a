"""The whole Herning flow through the web views, as the people who do the work see it.

A notification for a new child → the team leader's queue → the 24-hour assessment → assignment
with the caseload suggestion → early step → child investigation with a network map → action
plan revisions → a measure → a second notification → transfer to another district team →
closure, with the case timeline showing every step.
"""

import html
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trappen.cases.models import Case, CaseAssignment, EarlyStep, Transfer
from trappen.intake.models import Notification
from trappen.investigations.models import ChildInvestigation
from trappen.measures.models import Episode, VisitationRequest
from trappen.notices.models import Notice
from trappen.plans.models import ActionPlanRevision

# A child born 5 March 2018 (7th digit 4: the 2000s), not known before.
CPR = "0503184321"
MASKED_CPR = "050318-xxxx"


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The rendered page as the user reads it (HTML entities decoded)."""
    return html.unescape(response.content.decode())


def shows(response, *snippets: str) -> None:  # type: ignore[no-untyped-def]
    page = text(response)
    for snippet in snippets:
        assert snippet in page, f"{snippet!r} not shown on {response.request['PATH_INFO']}"


def flash(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The flash messages the user gets on the page they land on."""
    return [str(m) for m in response.context["messages"]] if response.context else []


def day(d: date) -> str:
    return d.isoformat()


def local_minute(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def goals_post(purpose: str, *goals: dict[str, str], based_on: int = 0) -> dict[str, str]:
    """The revise form as a browser posts it; `based_on`: the revision the editor started from."""
    data = {
        "purpose": purpose,
        "based_on": str(based_on),
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "1",
        "goals-MAX_NUM_FORMS": "1000",
    }
    for i, goal in enumerate(goals):
        for key, value in goal.items():
            data[f"goals-{i}-{key}"] = value
    return data


def run_flow(org) -> Case:  # type: ignore[no-untyped-def]
    """Walk the whole flow; every step asserts what its user sees. Returns the closed case."""
    today = timezone.localdate()
    org.case(org.child("0101151234"), caseworker=org.cw1)  # Anna has one case, Bent none
    anna: Client = org.client(org.cw1)
    bent: Client = org.client(org.cw2)
    lise: Client = org.client(org.leader)

    # 1. A caseworker registers a notification for a child not known before.
    response = anna.post(
        reverse("intake:new"),
        {
            "cpr": "050318-4321",
            "first_name": "Mille",
            "last_name": "Flowsen",
            "district": org.d_north.pk,
            "received_at": local_minute(-timedelta(hours=2)),
            "kind": "notification",
            "source": "school",
            "notifier_name": "Lene Holm",
            "notifier_role": "Klasselærer",
            "notifier_email": "lene@skole.example",
            "content": "Mille kommer ofte sulten i skole.",
        },
        follow=True,
    )
    assert response.status_code == 200
    first = Notification.objects.get(child__cpr=CPR)
    assert first.case is None and first.registered_by == org.cw1
    assert response.redirect_chain == [(reverse("intake:notification", args=[first.pk]), 302)]
    assert flash(response) == ["Registreret; afventer teamlederens fordeling."]
    shows(response, "Mille Flowsen", MASKED_CPR, "Afventer fordeling", "Nordby")
    assert Notice.objects.filter(
        recipient=org.leader, text="Ny underretning afventer fordeling"
    ).exists()

    # 2. The team leader sees it in the assignment queue.
    response = lise.get(reverse("dashboards:team"))
    shows(
        response, "Til fordeling", "Mille Flowsen", reverse("intake:notification", args=[first.pk])
    )
    assert [n.pk for n in response.context["queue"]] == [first.pk]

    # 3. A caseworker makes the 24-hour assessment.
    response = anna.get(reverse("dashboards:my_home"))
    shows(response, "Mille Flowsen")  # awaiting the assessment
    response = anna.post(
        reverse("intake:assess", args=[first.pk]),
        {"urgent_action": "no", "note": "Ikke akut; skolen følger op."},
        follow=True,
    )
    first.refresh_from_db()
    assert first.assessed_by == org.cw1 and first.urgent_action is False
    assert flash(response) == ["24-timers vurderingen er registreret."]
    shows(response, "Anna Test", "Ikke akut; skolen følger op.")

    # 4. The team leader assigns; the page shows caseloads and suggests the lowest load.
    response = lise.get(reverse("intake:notification", args=[first.pk]))
    assert response.context["suggested"] == org.cw2
    assert response.context["loads"] == {org.cw1: 1, org.cw2: 0}
    page = text(response)
    assert "Bent Test <span" in page and "Foreslået" in page
    assert "1 / 25" in page and "0 / 25" in page
    response = lise.post(
        reverse("intake:assign", args=[first.pk]), {"caseworker": org.cw2.pk}, follow=True
    )
    assert response.redirect_chain == [(reverse("dashboards:team"), 302)]
    assert flash(response) == ["Sagen er fordelt til Bent Test."]
    shows(response, "Ingen nye sager til fordeling.")
    case = Case.objects.get(child__cpr=CPR)
    assert (case.caseworker, case.team, case.status) == (org.cw2, org.north, "clarification")
    first.refresh_from_db()
    assert first.case == case
    assignment = CaseAssignment.objects.get(case=case)
    assert assignment.was_suggested and assignment.caseload_at_assignment == 0

    # 5. The caseworker sees the case on their home page and has a message.
    response = bent.get(reverse("dashboards:my_home"))
    shows(response, "Mit sagsantal: 1 af højst 25 sager", "Mille Flowsen", MASKED_CPR)
    assert [c.pk for c in response.context["cases"]] == [case.pk]
    response = bent.get(reverse("notices:list"))
    shows(response, "Du har fået fordelt en ny sag", "Mille Flowsen")
    assert response.context["unread_notice_count"] == 1

    case_url = reverse("cases:case", args=[case.pk])

    # 6. An early step: a network meeting.
    assert bent.get(reverse("cases:early_step_add", args=[case.pk])).status_code == 200
    response = bent.post(
        reverse("cases:early_step_add", args=[case.pk]),
        {
            "kind": "network_meeting",
            "held_on": day(today),
            "professions": ["caseworker", "school"],
            "talk_number": "",
            "note": "Møde med skolen og forældrene.",
        },
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Den tidlige indsats er registreret."]
    step = EarlyStep.objects.get(case=case)
    assert step.professions == ["caseworker", "school"] and step.recorded_by == org.cw2
    shows(response, "Netværksmøde", "Socialrådgiver, Skole eller dagtilbud")

    # 7. A child investigation with a network map.
    response = bent.post(
        reverse("investigations:start", args=[case.pk]), {"started_on": day(today)}, follow=True
    )
    investigation = ChildInvestigation.objects.get(case=case)
    assert response.redirect_chain == [
        (reverse("investigations:investigation", args=[investigation.pk]), 302)
    ]
    assert flash(response) == ["Den børnefaglige undersøgelse er startet."]
    shows(response, "Netværkskortet er tomt.")
    case.refresh_from_db()
    assert case.status == "investigation"
    response = bent.post(
        reverse("investigations:network_add", args=[investigation.pk]),
        {"person": "Mormor Inger", "relation": "mormor", "kind": "resource", "contact": ""},
        follow=True,
    )
    shows(response, "Mormor Inger")
    response = bent.post(
        reverse("investigations:network_add", args=[investigation.pk]),
        {"person": "Naboen Jens", "relation": "nabo", "kind": "concern", "contact": "12345678"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "investigations/network.html"
    assert "<html" not in text(response)
    shows(response, 'id="network"', "Mormor Inger", "Naboen Jens", "Bekymring")
    assert list(investigation.network.values_list("person", flat=True)) == [
        "Mormor Inger",
        "Naboen Jens",
    ]
    response = bent.post(
        reverse("investigations:complete", args=[investigation.pk]),
        {"completed_on": day(today), "conclusion": "Behov for støtte i hjemmet."},
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Den børnefaglige undersøgelse er afsluttet."]
    investigation.refresh_from_db()
    assert investigation.completed_on == today

    # 8. The action plan: revision 1, then revision 2; revision 1 stays as it was.
    goal_1 = {
        "goal": "Mille møder udhvilet i skole",
        "who": "Forældrene",
        "progress_sign": "Skolen melder færre fraværsdage",
        "due_on": day(today + timedelta(days=90)),
    }
    goal_2 = {
        "goal": "Mille har en fritidsaktivitet",
        "who": "Støttekontaktperson",
        "progress_sign": "Mille deltager ugentligt",
        "due_on": day(today + timedelta(days=120)),
    }
    response = bent.post(
        reverse("plans:revise", args=[case.pk]),
        goals_post("Tryg hverdag", goal_1),
        follow=True,
    )
    assert response.redirect_chain == [(reverse("plans:action_plan", args=[case.pk]), 302)]
    assert flash(response) == ["Handleplanens revision 1 er gemt."]
    response = bent.get(reverse("plans:revise", args=[case.pk]))
    assert response.context["latest"].number == 1  # the form starts from revision 1
    response = bent.post(
        reverse("plans:revise", args=[case.pk]),
        goals_post(
            "Tryg hverdag og fællesskab",
            goal_1 | {"who": "Forældre og skole"},
            goal_2,
            based_on=1,
        ),
        follow=True,
    )
    assert flash(response) == ["Handleplanens revision 2 er gemt."]
    revisions = ActionPlanRevision.objects.filter(plan__case=case).order_by("number")
    assert [(r.number, r.goals.count()) for r in revisions] == [(1, 1), (2, 2)]
    response = bent.get(reverse("plans:revision", args=[case.pk, 1]))
    shows(response, "Tryg hverdag", "Forældrene", goal_1["goal"])
    page = text(response)
    assert "Forældre og skole" not in page and goal_2["goal"] not in page
    assert "og fællesskab" not in page
    response = bent.get(reverse("plans:revision", args=[case.pk, 2]))
    shows(response, "Tryg hverdag og fællesskab", "Forældre og skole", goal_2["goal"])
    response = bent.get(reverse("plans:action_plan", args=[case.pk]))
    assert response.context["revision"].number == 2

    # 9. A measure; the case page shows the child's current step.
    support = org.intervention(2)
    response = bent.post(
        reverse("measures:episode_add", args=[case.pk]),
        {
            "intervention": support.pk,
            "start_on": day(today),
            "daily_cost": "600.00",
            # Barnets Lov § 32, stk. 3: the decision states purpose and expected duration.
            "purpose": "Ro i hjemmet og skolegang hver dag",
            "expected_end_on": day(today + timedelta(days=180)),
        },
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Foranstaltningen er registreret."]
    episode = Episode.objects.get(case=case)
    assert (episode.intervention, episode.child, episode.end_on) == (support, case.child, None)
    assert response.context["step"] == 2
    shows(response, '<span class="step">2</span>', support.name)
    case.refresh_from_db()
    assert case.status == "measures"
    response = bent.get(reverse("dashboards:my_home"))
    assert response.context["cases"][0].current_step == 2

    # 10. A second notification for the same child goes straight to the case's caseworker.
    queue_before = Notice.objects.filter(recipient=org.leader).count()
    response = anna.post(
        reverse("intake:new"),
        {
            "cpr": CPR,
            "received_at": local_minute(-timedelta(minutes=10)),
            "kind": "notification",
            "source": "police",
            "notifier_name": "Vagthavende",
            "notifier_phone": "114",
            "content": "Politiet har været på adressen.",
        },
        follow=True,
    )
    second = Notification.objects.exclude(pk=first.pk).get(child__cpr=CPR)
    assert second.case == case
    assert flash(response) == ["Registreret og sendt til socialrådgiveren på den åbne sag."]
    assert Notice.objects.filter(recipient=org.leader).count() == queue_before
    response = lise.get(reverse("dashboards:team"))
    assert response.context["queue"] == []
    shows(response, "Ingen nye sager til fordeling.")
    response = bent.get(reverse("notices:list"))
    shows(response, "Ny underretning i din sag")
    response = bent.get(case_url)
    shows(response, "Politi")
    # The one deadline function (F10 point 5): the assessment, and the measures' follow-ups.
    assert "24-timers vurdering" in [d.label for d in response.context["deadlines"]]
    response = bent.post(
        reverse("intake:assess", args=[second.pk]),
        {"urgent_action": "yes", "note": "Hjemmebesøg i dag."},
        follow=True,
    )
    second.refresh_from_db()
    assert second.urgent_action is True

    # 11. The measure ends.
    response = bent.post(
        reverse("measures:episode_end", args=[episode.pk]),
        {"end_on": day(today), "end_reason": "planned"},
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Foranstaltningen er afsluttet."]
    episode.refresh_from_db()
    assert (episode.end_on, episode.end_reason) == (today, "planned")
    shows(response, "Ingen aktive foranstaltninger.")

    # 12. The family moves to the south district: transfer to Team Syd.
    handover = today + timedelta(days=7)
    response = bent.post(
        reverse("cases:transfer", args=[case.pk]),
        {
            "to_district": org.d_south.pk,
            "receiving_team_leader": org.leader_south.pk,
            "handover_meeting_on": day(handover),
        },
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Flytningen er sendt til den modtagende teamleder."]
    shows(response, f"Under flytning til Team Syd; overleveringsmøde {handover:%d.%m.%Y}.")
    transfer = Transfer.objects.get(case=case)
    assert transfer.is_pending and transfer.to_team == org.south

    # 13. The south team leader sees it and receives it, naming Sofie.
    svend = org.client(org.leader_south)
    response = svend.get(reverse("dashboards:team"))
    shows(response, "Sager flyttet til teamet", "Mille Flowsen", "Modtag og fordel")
    assert [t.pk for t in response.context["incoming"]] == [transfer.pk]
    shows(svend.get(reverse("notices:list")), "En sag er ved at blive flyttet til dit team")
    response = svend.get(case_url)
    shows(response, "Modtag og fordel")
    response = svend.get(reverse("cases:receive", args=[case.pk]))
    shows(response, "Sofie Test (0)", f"Overleveringsmøde {handover:%d.%m.%Y}")
    response = svend.post(
        reverse("cases:receive", args=[case.pk]), {"caseworker": org.cw_south.pk}, follow=True
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Sagen er modtaget af dit team."]
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert (case.team, case.caseworker, case.child.district) == (
        org.south,
        org.cw_south,
        org.d_south,
    )
    assert transfer.new_caseworker == org.cw_south and not transfer.is_pending
    assert CaseAssignment.objects.filter(case=case).count() == 2

    # 14. Sofie sees it on her home page; Bent no longer can edit (nor see) it.
    sofie = org.client(org.cw_south)
    response = sofie.get(reverse("dashboards:my_home"))
    assert [c.pk for c in response.context["cases"]] == [case.pk]
    shows(response, "Mille Flowsen")
    shows(sofie.get(reverse("notices:list")), "En flyttet sag er fordelt til dig")
    bent_notices = bent.get(reverse("notices:list"))
    shows(
        bent_notices,
        "Sagen om Mille Flowsen er modtaget af Team Syd; indkald til overleveringsmødet",
    )
    assert case_url not in text(bent_notices)  # no link to a case Bent can no longer open
    # "Ingen adgang" (F10 point 3): the case is no longer his, and the page names no child.
    refused = bent.get(case_url)
    assert refused.status_code == 403 and "Mille" not in text(refused)
    response = bent.post(
        reverse("cases:journal_add", args=[case.pk]), {"heading": "note", "text": "x"}
    )
    assert response.status_code == 404
    assert bent.get(reverse("cases:early_step_add", args=[case.pk])).status_code == 404
    assert bent.get(reverse("dashboards:my_home")).context["cases"] == []

    # 15. Sofie closes the case.
    response = sofie.post(
        reverse("cases:close", args=[case.pk]),
        {"closed_on": day(today), "reason": "goals_met", "note": "Målene er nået."},
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flash(response) == ["Sagen er lukket."]
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_reason) == ("closed", today, "goals_met")
    assert response.context["may_edit"] is False
    assert sofie.get(reverse("dashboards:my_home")).context["cases"] == []

    # 16. The timeline shows every step.
    kinds = [e.kind for e in response.context["timeline"]]
    expected = {
        "Underretning": 2,
        "24-timers vurdering": 2,
        "Fordelt": 2,
        "Tidlig indsats": 1,
        "Børnefaglig undersøgelse": 2,
        "Handleplan": 2,
        "Foranstaltning startet": 1,
        "Foranstaltning afsluttet": 1,
        "Bevægelse på trappen": 2,  # onto step 2, and off the staircase again
        "Flytning anmodet": 1,
        "Flytning gennemført": 1,
        "Sag lukket": 1,
    }
    assert {k: kinds.count(k) for k in expected} == expected
    assert len(kinds) == sum(expected.values())
    page = text(response)
    for kind, count in expected.items():
        assert page.count(f'<span class="kind">{kind}</span>') == count, kind
    shows(response, "Team Nord → Team Syd", "Målene er nået.", "Revision 1", "Revision 2")
    return case


def test_whole_flow_through_the_web(org):
    case = run_flow(org)
    assert Case.objects.filter(pk=case.pk, status="closed").exists()


def test_transfer_is_refused_while_a_placement_is_active(org):
    case = org.case()
    today = timezone.localdate()
    placement = org.intervention(4, "foster_ordinary")
    anna = org.client(org.cw1)
    response = anna.post(
        reverse("measures:episode_add", args=[case.pk]),
        {
            "intervention": placement.pk,
            "start_on": day(today),
            "daily_cost": "2100",
            "consent": "with",
            "placement_reason": "child",
        },
    )
    assert response.status_code == 302
    # 63,000 kr. a month: above the visitation threshold, so the team leader approves first.
    request = VisitationRequest.objects.get(case=case)
    org.client(org.leader).post(
        reverse("measures:visitation_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert anna.get(reverse("cases:case", args=[case.pk])).context["step"] == 4
    data = {
        "to_district": org.d_south.pk,
        "receiving_team_leader": org.leader_south.pk,
        "handover_meeting_on": day(today + timedelta(days=3)),
    }
    response = anna.post(reverse("cases:transfer", args=[case.pk]), data)
    assert response.status_code == 200
    shows(
        response,
        "Sager med en anbringelse eller efterværn bliver i det nuværende team, "
        "når familien flytter.",
    )
    assert not Transfer.objects.exists()
    assert org.client(org.leader_south).get(reverse("dashboards:team")).context["incoming"] == []

    # Once the placement has ended the transfer goes through.
    episode = Episode.objects.get(case=case)
    response = anna.post(
        reverse("measures:episode_end", args=[episode.pk]),
        {"end_on": day(today), "end_reason": "moved"},
    )
    assert response.status_code == 302
    assert anna.post(reverse("cases:transfer", args=[case.pk]), data).status_code == 302
    assert Transfer.objects.filter(case=case, to_team=org.south).count() == 1
