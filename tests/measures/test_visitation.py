"""The visitation committee: measures above the threshold wait for the team leader's record."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.cases.models import Case
from trappen.measures import services
from trappen.measures.models import Episode, Movement, VisitationRequest
from trappen.notices.models import Notice

from ..web.test_flow import day, flash, shows, text
from .conftest import CHEAP, DEAR

PENDING_FLASH = (
    "Foranstaltningen koster mere end 20.000 kr. om måneden og afventer visitationsudvalgets "
    "godkendelse; den starter, når teamlederen registrerer godkendelsen."
)


def post_measure(org, case, intervention, cost, **extra):  # type: ignore[no-untyped-def]
    data = {
        "intervention": intervention.pk,
        "start_on": day(timezone.localdate()),
        "daily_cost": str(cost),
        # The decision's content (§ 32, stk. 3; §§ 46/47), ignored where it does not apply.
        "purpose": "Støtte til familien",
        "expected_end_on": day(timezone.localdate() + timedelta(days=180)),
        "consent": "with",
        "placement_reason": "child",
    } | extra
    return org.client(org.cw1).post(
        reverse("measures:episode_add", args=[case.pk]), data, follow=True
    )


def pending_placement(org, kit, case=None):  # type: ignore[no-untyped-def]
    case = case or org.case()
    response = post_measure(org, case, kit.foster, DEAR)
    assert flash(response) == [PENDING_FLASH]
    return case, VisitationRequest.objects.get(case=case)


def test_a_measure_above_the_threshold_waits_and_is_not_active(org, kit):
    case, request = pending_placement(org, kit)
    assert request.status == "pending" and request.threshold == 20000
    assert request.monthly_cost == 45000
    assert not Episode.objects.exists() and not Movement.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.CLARIFICATION

    anna = org.client(org.cw1)
    response = anna.get(reverse("cases:case", args=[case.pk]))
    assert response.context["step"] is None
    assert list(response.context["active_episodes"]) == []
    shows(response, "Afventer godkendelse", kit.foster.name, "45.000 kr. om måneden")
    assert "Registrér udvalgets afgørelse" not in text(response)  # the caseworker cannot decide
    home = anna.get(reverse("dashboards:my_home"))
    assert [c.current_step for c in home.context["cases"]] == [None]

    # The team leader is told, and sees it on the team view with the buttons.
    assert Notice.objects.filter(
        recipient=org.leader, text="En foranstaltning afventer visitationsudvalget"
    ).exists()
    response = org.client(org.leader).get(reverse("dashboards:team"))
    shows(response, "Afventer visitationsudvalget", case.child.full_name, "Godkend", "Afvis")
    assert reverse("measures:visitation_decide", args=[request.pk]) in text(response)


def test_the_team_leader_approves_and_the_measure_starts(org, kit):
    case, request = pending_placement(org, kit)
    response = org.client(org.leader).post(
        reverse("measures:visitation_decide", args=[request.pk]),
        {"decision": "approve", "note": "Godkendt på mødet."},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("dashboards:team"), 302)]
    assert flash(response) == ["Godkendt; foranstaltningen er startet."]
    shows(response, "Ingen foranstaltninger afventer udvalget.")
    request.refresh_from_db()
    episode = Episode.objects.get()
    assert (request.status, request.decided_by, request.decided_on, request.episode) == (
        "approved",
        org.leader,
        timezone.localdate(),
        episode,
    )
    assert request.note == "Godkendt på mødet."
    assert (episode.intervention, episode.daily_cost, episode.created_by) == (
        kit.foster,
        DEAR,
        org.cw1,
    )
    assert episode.legal_basis is not None and episode.legal_basis.law == "Barnets Lov"
    assert [(m.from_step, m.to_step) for m in Movement.objects.all()] == [(None, 4)]
    case.refresh_from_db()
    assert case.status == Case.Status.MEASURES
    response = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    assert response.context["step"] == 4
    shows(response, "godkendt af visitationsudvalget")
    assert "Afventer godkendelse" not in text(response)
    assert Notice.objects.filter(
        recipient=org.cw1, text=f"Visitationsudvalget har godkendt {kit.foster.name}"
    ).exists()

    # A second decision on the same request is refused.
    response = org.client(org.leader).post(
        reverse("measures:visitation_decide", args=[request.pk]),
        {"decision": "refuse", "note": "Nej"},
    )
    assert response.status_code == 200
    shows(response, "Visitationsudvalget har allerede truffet afgørelse om denne anmodning.")
    request.refresh_from_db()
    assert request.status == "approved" and Episode.objects.count() == 1


def test_a_refusal_needs_a_reason_and_is_recorded(org, kit):
    case, request = pending_placement(org, kit)
    lise = org.client(org.leader)
    url = reverse("measures:visitation_decide", args=[request.pk])

    response = lise.post(url, {"decision": "refuse", "note": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["Angiv udvalgets begrundelse for afslaget."]
    request.refresh_from_db()
    assert request.status == "pending"

    response = lise.post(url, {"decision": "refuse", "note": "Netværket afprøves først."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.note) == (
        "refused",
        org.leader,
        "Netværket afprøves først.",
    )
    assert not Episode.objects.exists() and not Movement.objects.exists()
    response = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    assert response.context["step"] is None
    shows(response, "Afvist", "Netværket afprøves først.")
    assert Notice.objects.filter(
        recipient=org.cw1, text=f"Visitationsudvalget har afvist {kit.foster.name}"
    ).exists()


def test_a_bad_decision_is_refused(org, kit):
    _, request = pending_placement(org, kit)
    response = org.client(org.leader).post(
        reverse("measures:visitation_decide", args=[request.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_caseworker_cannot_decide(org, kit):
    _, request = pending_placement(org, kit)
    url = reverse("measures:visitation_decide", args=[request.pk])
    share_with_consent(request.case, org.psych, by=org.cw1)  # F4: so the psychologist reads it
    for user in (org.cw1, org.cw2, org.psych):
        client = org.client(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "pending" and not Episode.objects.exists()


def test_another_teams_leader_does_not_see_the_request(org, kit):
    _, request = pending_placement(org, kit)
    svend = org.client(org.leader_south)
    url = reverse("measures:visitation_decide", args=[request.pk])
    assert svend.get(url).status_code == 404
    assert svend.post(url, {"decision": "approve"}).status_code == 404
    assert org.client(org.leader).get(
        reverse("measures:visitation_decide", args=[999999])
    ).status_code == (404)
    assert org.client(org.analyst).post(url, {"decision": "approve"}).status_code == 404
    page = text(svend.get(reverse("dashboards:team")))
    assert url not in page and "Ingen foranstaltninger afventer udvalget." in page
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_threshold_is_configurable_and_strictly_above(org, kit):
    # 500 kr. a day is exactly 15,000 kr. a month: not above a 15,000 threshold.
    org.municipality.visitation_threshold = 15000
    org.municipality.save()
    case = org.case()
    response = post_measure(org, case, kit.support, CHEAP)
    assert flash(response) == ["Foranstaltningen er registreret."]
    # 500.01 kr. a day is above it.
    response = post_measure(org, case, kit.foster, "500.01", movement_reason="needs_changed")
    assert flash(response) == [
        "Foranstaltningen koster mere end 15.000 kr. om måneden og afventer visitationsudvalgets "
        "godkendelse; den starter, når teamlederen registrerer godkendelsen."
    ]
    assert VisitationRequest.objects.get().threshold == 15000

    # A municipality with a higher threshold starts the dear measure at once.
    org.municipality.visitation_threshold = 100000
    org.municipality.save()
    other = org.case(org.child("0202151234"))
    response = post_measure(org, other, kit.foster, DEAR)
    assert flash(response) == ["Foranstaltningen er registreret."]
    assert Episode.objects.filter(case=other).count() == 1


def test_a_pending_request_is_checked_like_a_start(org, kit):
    """Bad input is refused before the committee sees it; nothing is saved."""
    case = org.case()
    today = timezone.localdate()
    services.start(
        case,
        intervention=kit.support,
        start_on=today - timedelta(days=10),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=CHEAP,
        by=org.cw1,
    )
    # An institution without an exit plan, and a move without a reason.
    response = post_measure(org, case, kit.institution, DEAR)
    errors = response.context["form"].errors
    assert {"planned_discharge_on", "intended_next_step"} <= set(errors)
    response = post_measure(
        org,
        case,
        kit.institution,
        DEAR,
        planned_discharge_on=day(today + timedelta(days=60)),
        intended_next_step="3",
    )
    assert response.context["form"].errors["movement_reason"] == [
        "Barnet flytter fra trin 2 til trin 5 på trappen: angiv årsagen til bevægelsen."
    ]
    assert not VisitationRequest.objects.exists()

    response = post_measure(
        org,
        case,
        kit.institution,
        DEAR,
        planned_discharge_on=day(today + timedelta(days=60)),
        intended_next_step="3",
        movement_reason="short_term",
    )
    request = VisitationRequest.objects.get()
    assert (request.planned_discharge_on, request.intended_next_step) == (
        today + timedelta(days=60),
        3,
    )
    # The same intervention cannot be requested twice while the first waits.
    response = post_measure(
        org,
        case,
        kit.institution,
        DEAR,
        planned_discharge_on=day(today + timedelta(days=60)),
        intended_next_step="3",
        movement_reason="short_term",
    )
    shows(response, "En anmodning om denne indsats afventer allerede visitationsudvalget.")
    assert VisitationRequest.objects.count() == 1

    # Approval carries the exit plan and the reason over to the episode and the movement.
    services.approve(request, by=org.leader)
    episode = Episode.objects.get(intervention=kit.institution)
    assert (episode.planned_discharge_on, episode.intended_next_step) == (
        today + timedelta(days=60),
        3,
    )
    assert Movement.objects.get(to_step=5).reason == "short_term"


def test_approval_gives_a_move_a_reason_even_when_the_situation_changed(org, kit):
    case = org.case()
    _, request = pending_placement(org, kit, case)  # none → 4: no reason given
    services.start(
        case,
        intervention=kit.support,
        start_on=timezone.localdate() - timedelta(days=1),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=CHEAP,
        by=org.cw1,
    )
    services.approve(request, by=org.leader)
    move = Movement.objects.get(to_step=4)
    assert (move.from_step, move.reason) == (2, "other")
    assert "registreret ved godkendelsen" in move.note


def test_a_closed_case_cannot_be_decided(org, kit):
    case, request = pending_placement(org, kit)
    case.status = Case.Status.CLOSED
    case.save()
    response = org.client(org.leader).post(
        reverse("measures:visitation_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        services.approve(request, by=org.leader)
    request.refresh_from_db()
    assert request.status == "pending" and not Episode.objects.exists()


def test_the_episode_knows_whether_the_committee_approved_it(org, kit):
    case, request = pending_placement(org, kit)
    episode = services.approve(request, by=org.leader)
    assert Episode.objects.get(pk=episode.pk).visitation_status == "approved"
    cheap = services.start(
        case,
        intervention=kit.support,
        start_on=timezone.localdate(),
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=CHEAP,
        by=org.cw1,
    )
    assert cheap.visitation_status == "not_needed"
