"""Goal attainment and the child's own voice at the follow-ups (F9 point 4): each SMART goal
of the current plan rated −2 … +2 with the scale's words shown, the child's own 1-10 with the
child conversation, and the progression plotted on the case page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trappen.audit.models import AuditEntry
from trappen.followups import services as followups
from trappen.followups.models import FollowUp, GoalRating
from trappen.plans import services as plans

from .test_web import post_followup

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def goal(text: str, **extra):
    return {"goal": text, "who": "Mor", "progress_sign": "Fremmøde",
            "due_on": TODAY() + timedelta(days=90), **extra}  # fmt: skip


@pytest.fixture
def planned(org, episode_of):
    episode = episode_of("preventive", days_ago=120)
    plans.revise(
        episode.case, purpose="Skolegang",
        goals=[goal("Går i skole hver dag"), goal("Har en ven i klassen")], by=org.cw1,
    )  # fmt: skip
    return episode


def goals_of(episode):
    return list(episode.case.action_plan.current().goals.all())


def test_the_form_shows_every_goal_with_the_words_of_the_scale(org, planned):
    page = org.client(org.cw1).get(reverse("followups:record", args=[planned.pk])).content.decode()
    assert "Mål: Går i skole hver dag" in page and "Mål: Har en ven i klassen" in page
    assert "-2 Meget mindre end forventet" in page and "+2 Meget mere end forventet" in page
    assert "Barnets egen vurdering: Hvordan går det? (1-10)" in page
    assert "1 (Rigtig skidt)" in page and "10 (Rigtig godt)" in page


def test_the_ratings_and_the_childs_own_rating_are_recorded_and_audited(org, planned):
    first, second = goals_of(planned)
    response = post_followup(
        org.client(org.cw1), planned,
        **{f"goal_{first.pk}": "1", f"goal_{second.pk}": "-1", "child_rating": "7"},
    )  # fmt: skip
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.child_rating == 7
    assert dict(follow_up.goal_ratings.values_list("goal_id", "rating")) == {
        first.pk: 1,
        second.pk: -1,
    }
    assert AuditEntry.objects.filter(object_type="followups.goalrating").count() == 2


def test_a_goal_left_unrated_refuses_the_follow_up_and_keeps_what_was_typed(org, planned):
    first, _second = goals_of(planned)
    response = post_followup(org.client(org.cw1), planned, **{f"goal_{first.pk}": "2"})
    assert response.status_code == 200 and not FollowUp.objects.exists()
    page = response.content.decode()
    assert "Giv målet en vurdering på skalaen." in page
    assert "Mads fortalte om skolen." in page


def test_the_childs_rating_needs_a_child_conversation_and_stays_on_its_scale(org, planned):
    first, second = goals_of(planned)
    ratings = {f"goal_{first.pk}": "0", f"goal_{second.pk}": "0"}
    no_talk = post_followup(
        org.client(org.cw1), planned, child_conversation="no", conversation_note="",
        child_rating="5", **ratings,
    )  # fmt: skip
    assert no_talk.status_code == 200
    assert "Barnets egen vurdering gives ved en børnesamtale." in no_talk.content.decode()
    off_scale = post_followup(org.client(org.cw1), planned, child_rating="11", **ratings)
    assert off_scale.status_code == 200 and not FollowUp.objects.exists()


def test_the_service_refuses_a_goal_of_another_plan_or_a_rating_off_the_scale(org, planned):
    first, second = goals_of(planned)
    args = dict(held_on=TODAY(), form="meeting", child_conversation=True,
                conversation_note="Godt", plan_review="kept", next_agreed_on=None, note="",
                by=org.cw1)  # fmt: skip
    with pytest.raises(ValidationError, match="Vurdér alle handleplanens mål"):
        followups.record(planned, goal_ratings={first.pk: 1}, **args)
    with pytest.raises(ValidationError, match="ikke i handleplanens gældende version"):
        followups.record(planned, goal_ratings={first.pk: 1, second.pk: 1, 999999: 0}, **args)
    with pytest.raises(ValidationError, match="fra -2 til \\+2"):
        followups.record(planned, goal_ratings={first.pk: 3, second.pk: 1}, **args)
    with pytest.raises(ValidationError):
        followups.record(planned, child_rating=0, **args)
    assert not FollowUp.objects.exists() and not GoalRating.objects.exists()


def test_the_case_page_plots_the_goals_over_time_through_the_revisions(org, planned):
    first, second = goals_of(planned)
    args = dict(form="meeting", child_conversation=True, conversation_note="Godt",
                plan_review="kept", next_agreed_on=None, note="", by=org.cw1)  # fmt: skip
    followups.record(planned, held_on=TODAY() - timedelta(days=60), child_rating=3,
                     goal_ratings={first.pk: -2, second.pk: -1}, **args)  # fmt: skip
    # The plan is revised; the first goal is carried (its line continues), the second dropped.
    plans.revise(planned.case, purpose="Skolegang",
                 goals=[goal("Går i skole 4 af 5 dage", carried=first.pk)], by=org.cw1)  # fmt: skip
    carried = goals_of(planned)[0]
    assert carried.line == first.pk
    followups.record(planned, held_on=TODAY() - timedelta(days=10), child_rating=8,
                     goal_ratings={carried.pk: 1}, **args)  # fmt: skip
    page = org.client(org.cw1).get(reverse("cases:case", args=[planned.case_id])).content.decode()
    assert "Udvikling: mål og barnets egen vurdering" in page
    assert page.count('<polyline class="series') == 3  # two goal lines and the child's
    assert "Går i skole 4 af 5 dage" in page  # the line under the goal's newest wording
    assert "Har en ven i klassen" in page
    assert page.count('<circle class="dot') == 5
    assert "Rigtig skidt" in page and ": 8" in page


def test_no_ratings_no_progress_panel(org, planned):
    page = org.client(org.cw1).get(reverse("cases:case", args=[planned.case_id])).content.decode()
    assert "Udvikling: mål og barnets egen vurdering" not in page
