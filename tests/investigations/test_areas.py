"""The structured investigation (F9 point 3, Barnets Lov § 22, stk. 1): each area rated from a
major concern to a major resource with a short note, shown as a profile on the investigation
page and the case page; the plan's goals link to the areas and to an SDQ subscale."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.audit.models import AuditEntry
from trappen.investigations import services as investigations
from trappen.investigations.models import AreaAssessment, NetworkMapEntry, Tier
from trappen.plans.models import Goal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DUE = (TODAY() + timedelta(days=90)).isoformat()


@pytest.fixture
def inv(org):
    case = org.case()
    return investigations.start(case, started_on=TODAY() - timedelta(days=10), by=org.cw1)


def areas_url(inv):
    return reverse("investigations:areas", args=[inv.pk])


def test_the_caseworker_rates_areas_and_the_page_shows_the_profile(org, inv):
    client = org.client(org.cw1)
    response = client.post(
        areas_url(inv),
        {"rating_health": "-2", "note_health": "Astma, mange fraværsdage",
         "rating_network": "2", "note_network": "Mormor henter hver dag"},
    )  # fmt: skip
    assert response.status_code == 302
    rows = {a.area: (a.rating, a.note) for a in AreaAssessment.objects.all()}
    assert rows == {
        "health": (-2, "Astma, mange fraværsdage"),
        "network": (2, "Mormor henter hver dag"),
    }
    assert AreaAssessment.objects.get(area="health").framework == "ics-2019"
    page = client.get(reverse("investigations:investigation", args=[inv.pk])).content.decode()
    assert "Udfordringer og ressourcer" in page and "Stor bekymring" in page
    assert "profile-bar concern w2" in page and "profile-bar resource w2" in page
    assert "Endnu ikke vurderet:" in page and "Forældrekompetencer" in page
    case_page = client.get(reverse("cases:case", args=[inv.case_id])).content.decode()
    assert "Udfordringer og ressourcer" in case_page and "profile-bar concern w2" in case_page
    # The notes stay on the investigation page; the case page shows the profile.
    assert "Mormor henter hver dag" not in case_page


def test_a_rating_needs_a_note_and_a_note_a_rating_nothing_saved_and_nothing_lost(org, inv):
    client = org.client(org.cw1)
    response = client.post(
        areas_url(inv),
        {"rating_health": "-1", "note_health": "", "rating_school": "", "note_school": "Trives",
         "rating_leisure": "1", "note_leisure": "Spiller fodbold"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv en kort begrundelse til vurderingen." in page
    assert "Vælg en vurdering til begrundelsen, eller lad den være tom." in page
    assert "Spiller fodbold" in page and "Trives" in page  # what was typed is kept
    assert not AreaAssessment.objects.exists()


def test_a_rating_outside_the_scale_is_refused(org, inv):
    response = org.client(org.cw1).post(areas_url(inv), {"rating_health": "5", "note_health": "x"})
    assert response.status_code == 400 and not AreaAssessment.objects.exists()


def test_clearing_an_area_removes_its_rating_and_a_change_is_kept(org, inv):
    client = org.client(org.cw1)
    client.post(areas_url(inv), {"rating_health": "-2", "note_health": "Astma"})
    client.post(areas_url(inv), {"rating_network": "1", "note_network": "Faster"})
    assert set(AreaAssessment.objects.values_list("area", flat=True)) == {"network"}
    client.post(areas_url(inv), {"rating_network": "2", "note_network": "Faster og mormor"})
    assert AreaAssessment.objects.get().rating == 2


def test_the_writes_are_audited(org, inv):
    org.client(org.cw1).post(areas_url(inv), {"rating_health": "-2", "note_health": "Astma"})
    entry = AuditEntry.objects.get(object_type="investigations.areaassessment")
    assert entry.child_pk == inv.case.child_id and entry.actor_id == org.cw1.pk


def test_a_completed_investigation_and_other_caseworkers_cannot_change_the_ratings(org, inv):
    other = org.client(org.cw_south).post(
        areas_url(inv), {"rating_health": "-2", "note_health": "x"}
    )
    assert other.status_code == 404
    colleague = org.client(org.cw2).post(
        areas_url(inv), {"rating_health": "-2", "note_health": "x"}
    )
    assert colleague.status_code == 403
    NetworkMapEntry.objects.create(investigation=inv, person="Mor", relation="mor", kind="resource")
    investigations.complete(inv, completed_on=TODAY(), conclusion="Støtte")
    done = org.client(org.cw1).post(areas_url(inv), {"rating_health": "-2", "note_health": "x"})
    assert done.status_code == 403
    assert not AreaAssessment.objects.exists()


def test_a_screening_rates_no_areas(org):
    screening = investigations.start(
        org.case(), started_on=TODAY(), by=org.cw1, tier=Tier.SCREENING
    )
    with pytest.raises(Exception, match="§ 22"):
        investigations.assess_areas(screening, ratings={"health": (-1, "x")}, by=org.cw1)
    page = org.client(org.cw1).get(reverse("investigations:investigation", args=[screening.pk]))
    assert "Vurdér områderne" not in page.content.decode()


def revise(client, case, **goal):
    data = {
        "purpose": "Skolegang", "based_on": "0",
        "goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0", "goals-MAX_NUM_FORMS": "1000",
        "goals-0-goal": "Går i skole hver dag", "goals-0-who": "Mor",
        "goals-0-progress_sign": "Fremmøde", "goals-0-due_on": DUE,
    }  # fmt: skip
    data.update({f"goals-0-{k}": v for k, v in goal.items()})
    return client.post(reverse("plans:revise", args=[case.pk]), data)


def test_a_goal_links_to_areas_and_an_sdq_subscale_shown_on_the_plan(org, inv):
    client = org.client(org.cw1)
    response = revise(client, inv.case, areas=["school", "development"], sdq_subscale="conduct")
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.areas == ["school", "development"] and goal.sdq_subscale == "conduct"
    page = client.get(reverse("plans:action_plan", args=[inv.case_id])).content.decode()
    assert "Dagtilbud, skoleforhold og læring" in page and "Adfærdsproblemer" in page


def test_after_the_areas_are_rated_a_goal_must_name_its_areas(org, inv):
    client = org.client(org.cw1)
    client.post(areas_url(inv), {"rating_school": "-2", "note_school": "Meget fravær"})
    response = revise(client, inv.case)
    assert response.status_code == 200 and not Goal.objects.exists()
    assert "Knyt målet til mindst ét område" in response.content.decode()
    assert revise(client, inv.case, areas=["school"]).status_code == 302


def test_a_goal_edited_in_a_new_revision_keeps_its_line(org, inv):
    client = org.client(org.cw1)
    revise(client, inv.case, areas=["school"])
    first = Goal.objects.get()
    form = client.get(reverse("plans:revise", args=[inv.case_id])).content.decode()
    assert f'name="goals-0-carried" value="{first.pk}"' in form
    data = {
        "purpose": "Skolegang", "based_on": "1",
        "goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "1",
        "goals-MIN_NUM_FORMS": "0", "goals-MAX_NUM_FORMS": "1000",
        "goals-0-goal": "Går i skole 4 af 5 dage", "goals-0-who": "Mor",
        "goals-0-progress_sign": "Fremmøde", "goals-0-due_on": DUE,
        "goals-0-areas": ["school"], "goals-0-carried": str(first.pk),
    }  # fmt: skip
    assert client.post(reverse("plans:revise", args=[inv.case_id]), data).status_code == 302
    second = Goal.objects.exclude(pk=first.pk).get()
    assert second.origin_id == first.pk and second.line == first.line == first.pk
