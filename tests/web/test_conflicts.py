"""No lost updates: two people editing the same action plan (F4, integrity)."""

from datetime import date

from django.urls import reverse

from trappen.plans.models import ActionPlanRevision

from .test_flow import goals_post

GOAL = {"goal": "Mille møder i skole", "who": "Forældrene", "progress_sign": "Færre fraværsdage"}


def _goal(text: str) -> dict[str, str]:
    return GOAL | {"goal": text, "due_on": date(2030, 1, 1).isoformat()}


def test_the_second_editor_of_an_action_plan_sees_both_versions_and_loses_nothing(org):
    case = org.case()
    url = reverse("action_plan_revise", args=[case.pk])
    anna, leader = org.client(org.cw1), org.client(org.leader)
    # Both open the form on the empty plan; the form remembers what each started from.
    assert anna.get(url).context["form"]["based_on"].value() == 0
    assert leader.get(url).context["form"]["based_on"].value() == 0

    saved = anna.post(url, goals_post("Annas formål", _goal("Annas mål")))
    assert saved.status_code == 302
    clash = leader.post(url, goals_post("Lederens formål", _goal("Lederens mål")))

    # Nothing of the leader's is saved over Anna's revision, and nothing of theirs is lost.
    assert clash.status_code == 200
    assert list(ActionPlanRevision.objects.values_list("number", "purpose")) == [
        (1, "Annas formål")
    ]
    assert clash.context["conflict"].number == 1
    page = clash.content.decode()
    assert "Annas formål" in page and "Annas mål" in page  # the saved version
    assert "Lederens formål" in page and "Lederens mål" in page  # theirs, still in the form
    assert clash.context["form"]["based_on"].value() == "1"

    # Saving again is deliberate: it goes on top of Anna's revision.
    data = goals_post("Lederens formål", _goal("Lederens mål"), based_on=1)
    assert leader.post(url, data).status_code == 302
    assert list(ActionPlanRevision.objects.values_list("number", "purpose")) == [
        (2, "Lederens formål"),
        (1, "Annas formål"),
    ]


def test_a_revision_form_without_its_starting_point_is_refused(org):
    case = org.case()
    data = goals_post("Formål", _goal("Mål"))
    del data["based_on"]
    response = org.client(org.cw1).post(reverse("action_plan_revise", args=[case.pk]), data)
    assert response.status_code == 200
    assert not ActionPlanRevision.objects.exists()
