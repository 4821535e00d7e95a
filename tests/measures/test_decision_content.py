"""Decisions with the law's content (Barnets Lov, LBK nr 282 af 17/03/2025)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from trappen.investigations.models import SiblingInvestigationTask
from trappen.measures.models import Episode
from trappen.notices.models import Notice
from trappen.plans import services as plans

from ..web.test_flow import day
from .conftest import CHEAP, DEAR, start


def post(org, case, intervention, **extra):  # type: ignore[no-untyped-def]
    data = {
        "intervention": intervention.pk,
        "start_on": day(timezone.localdate()),
        "daily_cost": str(CHEAP),
    } | extra
    return org.client(org.cw1).post(reverse("measures:episode_add", args=[case.pk]), data)


def test_a_supporting_measure_states_its_purpose_and_expected_duration(org, kit):
    """§ 32, stk. 3: "Afgørelsen skal angive formålet med indsatsen og den forventede
    varighed"."""
    case = org.case()
    response = post(org, case, kit.support)
    assert response.status_code == 200
    assert {"purpose", "expected_end_on"} <= set(response.context["form"].errors)
    assert not Episode.objects.exists()
    until = timezone.localdate() + timedelta(days=120)
    response = post(org, case, kit.support, purpose="Ro i hjemmet", expected_end_on=day(until))
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert (episode.purpose, episode.expected_end_on) == ("Ro i hjemmet", until)
    assert not episode.lacks_decision_content


def test_a_placement_is_with_or_without_consent_and_rests_on_46_or_47(org, kit):
    """§ 46 (med samtykke) / § 47 (uden samtykke): the placement's legal basis follows."""
    case = org.case()
    response = post(org, case, kit.foster)
    assert {"consent", "placement_reason"} <= set(response.context["form"].errors)
    episode = start(case, kit.foster, timezone.localdate(), org.cw1, consent="with")
    assert (episode.legal_basis.law, episode.legal_basis.paragraph) == ("Barnets Lov", "§ 46")
    other = org.case(org.child("0202151234"))
    plans.revise(other, purpose="Tryghed", goals=[], by=org.cw1)
    episode = start(other, kit.foster, timezone.localdate(), org.cw1, consent="without")
    assert episode.legal_basis.paragraph == "§ 47"


def test_a_placement_without_consent_needs_the_plan_before_the_decision(org, kit):
    """§ 91, stk. 2: "Sker anbringelsen uden samtykke efter § 47, skal planen dog foreligge,
    inden der træffes afgørelse om anbringelse"."""
    case = org.case()
    response = post(org, case, kit.foster, consent="without", placement_reason="child")
    assert "consent" in response.context["form"].errors
    plans.revise(case, purpose="Tryghed", goals=[], by=org.cw1)
    response = post(org, case, kit.foster, consent="without", placement_reason="child")
    assert response.status_code == 302


def test_a_placement_for_lack_of_care_opens_the_siblings_investigation(org, kit):
    """§ 21, stk. 2: "Anbringes et barn ... på grund af utilstrækkelig omsorg ... eller
    overgreb ..., skal kommunalbestyrelsen iværksætte en børnefaglig undersøgelse af eventuelle
    søskende i husstanden under 15 år"."""
    case = org.case()
    episode = start(
        case, kit.foster, timezone.localdate(), org.cw1, consent="with", placement_reason="abuse"
    )
    task = SiblingInvestigationTask.objects.get(episode=episode)
    assert task.is_open and task.case == case
    assert Notice.objects.filter(recipient=case.caseworker, case=case).exists()
    other = org.case(org.child("0202151234"))
    start(
        other, kit.foster, timezone.localdate(), org.cw1, consent="with", placement_reason="child"
    )
    assert not SiblingInvestigationTask.objects.filter(case=other).exists()


def test_the_form_prompts_for_the_hearing_of_the_child(org, kit):
    """§ 5 and the compendium: "Der skal afholdes partshøring af barnet inden der op startes en
    foranstaltning": the form warns when the journal has none."""
    case = org.case()
    page = org.client(org.cw1).get(reverse("measures:episode_add", args=[case.pk]))
    assert "Warning" in page.content.decode() or "Advarsel" in page.content.decode()
    response = post(
        org,
        case,
        kit.support,
        purpose="Ro",
        expected_end_on=day(timezone.localdate() + timedelta(days=30)),
        child_heard="not_heard",
    )
    assert "child_not_heard_reason" in response.context["form"].errors


def test_the_decision_content_waits_with_the_visitation_request(org, kit):
    case = org.case()
    until = date.today() + timedelta(days=200)
    response = post(
        org,
        case,
        kit.foster,
        daily_cost=str(DEAR),
        consent="with",
        placement_reason="lack_of_care",
        expected_end_on=day(until),
    )
    assert response.status_code == 302
    request = case.visitation_requests.get()
    from trappen.measures import services

    episode = services.approve(request, by=org.leader)
    assert (episode.consent, episode.placement_reason) == ("with", "lack_of_care")
    assert SiblingInvestigationTask.objects.filter(episode=episode).exists()


def test_a_measure_without_a_plan_is_warned_on_the_case_page(org, kit):
    """§ 91, stk. 2: "Planen skal foreligge, senest 3 måneder efter at der er truffet afgørelse
    om anbringelse": amber while it is due, red ("measure without a plan") when it is late."""
    case = org.case()
    today = timezone.localdate()
    start(case, kit.foster, today - timedelta(days=120), org.cw1, consent="with")
    page = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    html = page.content.decode()
    assert 'id="law-warnings"' in html
    assert '<span class="flag red">' in html and "(§ 91)" in html
    plans.revise(case, purpose="Tryghed", goals=[], by=org.cw1)
    html = org.client(org.cw1).get(reverse("cases:case", args=[case.pk])).content.decode()
    # Made after the due date: still late, still red.
    assert "(§ 91)" in html


def test_the_plan_page_shows_when_barnets_plan_is_due(org, kit):
    """§ 91, stk. 1: "Planen skal i givet fald foreligge, senest 3 måneder efter at der er
    truffet afgørelse om en indsats"."""
    case = org.case()
    started = timezone.localdate() - timedelta(days=10)
    start(case, kit.support, started, org.cw1, purpose="Ro", expected_end_on=started)
    page = org.client(org.cw1).get(reverse("plans:action_plan", args=[case.pk]))
    from trappen.core.deadlines import add_months

    assert page.context["plan_due"] == add_months(started, 3)
    assert not page.context["plan_late"]
