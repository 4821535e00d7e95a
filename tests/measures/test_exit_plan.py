"""Institution placements are planned with their discharge from admission."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.measures.models import Episode, Movement

from ..web.test_flow import day, flash, shows, text
from .conftest import CHEAP, start

MISSING = "Udslusningsplan mangler"
NO_DATE = (
    "En institutionsanbringelse skal have en udslusningsplan fra indskrivningen: "
    "angiv den planlagte udslusningsdato."
)
NO_STEP = (
    "En institutionsanbringelse skal have en udslusningsplan fra indskrivningen: "
    "angiv det trin, barnet skal videre til."
)


def before_start(d) -> str:  # type: ignore[no-untyped-def]
    return f"Den planlagte udslusning kan ikke ligge før anbringelsen starter ({d:%d.%m.%Y})."


def imported_institution(org, kit, case):  # type: ignore[no-untyped-def]
    """An institution episode from before the rule (or an import): no exit plan."""
    return Episode.objects.create(
        child=case.child,
        case=case,
        intervention=kit.institution,
        start_on=timezone.localdate() - timedelta(days=20),
        daily_cost=CHEAP,
        created_by=org.cw1,
    )


def test_the_start_form_asks_for_an_exit_plan_for_an_institution(org, kit):
    case = org.case()
    today = timezone.localdate()
    anna = org.client(org.cw1)
    url = reverse("measures:episode_add", args=[case.pk])
    data = {
        "intervention": kit.institution.pk,
        "start_on": day(today),
        "daily_cost": "500",
        "consent": "with",
        "placement_reason": "child",
    }

    response = anna.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["planned_discharge_on"] == [NO_DATE]
    assert errors["intended_next_step"] == [NO_STEP]
    shows(response, NO_DATE, NO_STEP)

    response = anna.post(
        url,
        data | {"planned_discharge_on": day(today - timedelta(days=1)), "intended_next_step": "4"},
    )
    assert response.context["form"].errors["planned_discharge_on"] == [before_start(today)]
    assert not Episode.objects.exists() and not Movement.objects.exists()

    response = anna.post(
        url,
        data | {"planned_discharge_on": day(today + timedelta(days=90)), "intended_next_step": "4"},
        follow=True,
    )
    assert flash(response) == ["Foranstaltningen er registreret."]
    episode = Episode.objects.get()
    assert (episode.planned_discharge_on, episode.intended_next_step) == (
        today + timedelta(days=90),
        4,
    )
    assert not episode.lacks_exit_plan
    page = text(response)
    assert MISSING not in page
    assert f"udslusning {today + timedelta(days=90):%d.%m.%Y}, derefter trin 4" in page


@pytest.mark.parametrize("next_step", ["5", "-1", "x"])
def test_the_next_step_is_one_of_the_steps_below_the_institution(org, kit, next_step):
    case = org.case()
    today = timezone.localdate()
    response = org.client(org.cw1).post(
        reverse("measures:episode_add", args=[case.pk]),
        {
            "intervention": kit.institution.pk,
            "start_on": day(today),
            "daily_cost": "500",
            "consent": "with",
            "placement_reason": "child",
            "planned_discharge_on": day(today + timedelta(days=30)),
            "intended_next_step": next_step,
        },
    )
    assert "intended_next_step" in response.context["form"].errors
    assert not Episode.objects.exists()


def test_other_measures_do_not_need_or_keep_an_exit_plan(org, kit):
    case = org.case()
    today = timezone.localdate()
    episode = start(
        case, kit.foster, today, org.cw1, planned_discharge_on=today, intended_next_step=2
    )
    assert (episode.planned_discharge_on, episode.intended_next_step) == (None, None)
    assert not episode.lacks_exit_plan


def test_a_missing_exit_plan_is_warned_about_and_cleared(org, kit):
    case = org.case()
    episode = imported_institution(org, kit, case)
    case_url = reverse("cases:case", args=[case.pk])
    anna = org.client(org.cw1)
    lise = org.client(org.leader)

    response = anna.get(case_url)
    shows(response, MISSING, "Gem udslusningsplan")
    response = lise.get(reverse("dashboards:team"))
    shows(response, "Institutionsanbringelser uden udslusningsplan", case.child.full_name)
    assert response.context is not None
    assert f"#exit-plan-{episode.pk}" in text(response)

    # Discharge before the start is refused clearly; nothing changes.
    url = reverse("measures:episode_exit_plan", args=[episode.pk])
    response = anna.post(
        url,
        {
            "planned_discharge_on": day(episode.start_on - timedelta(days=1)),
            "intended_next_step": "3",
        },
    )
    assert response.status_code == 200
    shows(response, before_start(episode.start_on))
    episode.refresh_from_db()
    assert episode.lacks_exit_plan

    response = anna.post(url, {"planned_discharge_on": "", "intended_next_step": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"planned_discharge_on", "intended_next_step"}

    discharge = timezone.localdate() + timedelta(days=40)
    response = anna.post(
        url, {"planned_discharge_on": day(discharge), "intended_next_step": "3"}, follow=True
    )
    assert flash(response) == ["Udslusningsplanen er gemt."]
    episode.refresh_from_db()
    assert (episode.planned_discharge_on, episode.intended_next_step) == (discharge, 3)
    assert MISSING not in text(response)
    response = lise.get(reverse("dashboards:team"))
    assert "Institutionsanbringelser uden udslusningsplan" not in text(response)


def test_only_those_who_may_edit_the_case_add_the_exit_plan(org, kit):
    case = org.case()
    episode = imported_institution(org, kit, case)
    share_with_consent(case, org.psych, by=org.cw1)  # F4: so the psychologist reads it
    url = reverse("measures:episode_exit_plan", args=[episode.pk])
    data = {"planned_discharge_on": day(timezone.localdate()), "intended_next_step": "2"}

    # The psychologist sees the warning but gets no form, and may not post one.
    page = text(org.client(org.psych).get(reverse("cases:case", args=[case.pk])))
    assert MISSING in page and "Gem udslusningsplan" not in page
    assert org.client(org.psych).post(url, data).status_code == 403
    # Another team does not see the case at all.
    assert org.client(org.cw_south).post(url, data).status_code == 404
    assert org.client(org.leader_south).get(url).status_code == 404
    assert (
        org.client(org.cw1).get(reverse("measures:episode_exit_plan", args=[999999])).status_code
        == 404
    )
    episode.refresh_from_db()
    assert episode.lacks_exit_plan
    # The team leader may.
    assert org.client(org.leader).post(url, data).status_code == 302


def test_an_ended_placement_no_longer_warns(org, kit):
    case = org.case()
    episode = imported_institution(org, kit, case)
    episode.end_on = timezone.localdate()
    episode.end_reason = "planned"
    episode.save()
    assert MISSING not in text(org.client(org.cw1).get(reverse("cases:case", args=[case.pk])))
    response = org.client(org.cw1).post(
        reverse("measures:episode_exit_plan", args=[episode.pk]),
        {"planned_discharge_on": day(timezone.localdate()), "intended_next_step": "2"},
    )
    shows(response, "Foranstaltningen er allerede afsluttet.")


def test_a_secure_institution_needs_the_plan_too_but_a_foster_family_does_not(org, kit):
    case = org.case()
    assert Episode(intervention=kit.secure).lacks_exit_plan
    assert not Episode(intervention=kit.foster).lacks_exit_plan
    assert not Episode(intervention=kit.kinship).lacks_exit_plan
    assert case.pk
