"""The legal follow-up of Barnets Lov § 95 and § 156, stk. 5, on real episodes."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from trappen.core.cadence import Kind, State
from trappen.followups.models import FollowUp
from trappen.followups.schedule import Rules, plans_for
from trappen.investigations.models import ChildInvestigation

from .test_web import post_followup


def hold(episode, day, org, **extra):  # type: ignore[no-untyped-def]
    return FollowUp.objects.create(
        episode=episode,
        case=episode.case,
        held_on=day,
        form="meeting",
        child_conversation=True,
        plan_review="kept",
        recorded_by=org.cw1,
        **extra,
    )


def test_a_parallel_afdaekning_brings_the_first_legal_follow_up_to_its_end(org, episode_of):
    """§ 95, stk. 2: a § 32 measure started 6 January with an afdækning ending 20 February:
    the first follow-up is due 20 February."""
    episode = episode_of("preventive", start=date(2025, 1, 6))
    ChildInvestigation.objects.create(
        case=episode.case,
        tier="afdaekning",
        started_on=date(2025, 1, 2),
        completed_on=date(2025, 2, 20),
        started_by=org.cw1,
    )
    legal = plans_for(episode, date(2025, 1, 10), Rules.load()).legal
    assert [d.due for d in legal.dues] == [date(2025, 2, 20)]


def test_the_decision_at_the_first_follow_up_moves_the_later_due_dates(org, episode_of):
    """§ 95, stk. 3: "træffe beslutning om den fremadrettede tilrettelæggelse af
    opfølgningen" — the legal due dates follow it; the model's rhythm stays on top."""
    episode = episode_of("preventive", start=date(2025, 1, 6))
    first = hold(episode, date(2025, 4, 1), org)
    plans = plans_for(episode, date(2025, 4, 2), Rules.load())
    assert plans.legal.next_due is None and plans.rhythm_missing
    assert plans.model.next_due is not None  # the model's rhythm goes on
    first.rhythm, first.rhythm_justification = "2m", "Tæt på i starten"
    first.save()
    plans = plans_for(episode, date(2025, 4, 2), Rules.load())
    assert plans.legal.next_due.due == date(2025, 6, 1) and not plans.rhythm_missing
    first.rhythm = "6m"
    first.save()
    assert plans_for(episode, date(2025, 4, 2), Rules.load()).legal.next_due.due == date(
        2025, 10, 1
    )


def test_the_first_follow_up_form_asks_for_the_decision(org, episode_of):
    episode = episode_of("preventive", days_ago=30)
    client = org.client(org.cw1)
    response = post_followup(client, episode, rhythm="", rhythm_justification="", child_wishes="")
    assert response.status_code == 200
    assert {"rhythm", "rhythm_justification", "child_wishes"} <= set(
        response.context["form"].errors
    )
    assert post_followup(client, episode).status_code == 302
    recorded = FollowUp.objects.get(episode=episode)
    assert (recorded.rhythm, recorded.child_wishes) == ("3m", "Mads vil gerne ses på skolen.")
    # The second follow-up does not ask again.
    page = client.get(reverse("followups:record", args=[episode.pk]))
    assert not page.context["needs_decision"]


def test_placements_have_two_visits_a_year_recorded_as_such(org, episode_of):
    """§ 156, stk. 5: "mindst to årlige tilsynsbesøg på anbringelsesstedet, hvor kommunen
    taler med barnet ... så vidt muligt ... uden tilstedeværelse af ansatte"."""
    today = timezone.localdate()
    episode = episode_of("institution", placement_type="residential_institution", days_ago=400)
    start = episode.start_on
    hold(episode, start + timedelta(days=30), org, at_placement=True, staff_present="without")
    hold(episode, start + timedelta(days=90), org, rhythm="3m", rhythm_justification="x")
    legal = plans_for(episode, today, Rules.load()).legal
    visits = [d for d in legal.dues if d.kind is Kind.VISIT]
    assert visits[0].state is State.OVERDUE  # one visit at the placement in the first year
    hold(episode, start + timedelta(days=200), org, at_placement=True, staff_present="with")
    legal = plans_for(episode, today, Rules.load()).legal
    assert [d for d in legal.dues if d.kind is Kind.VISIT][0].state is State.MET


def test_early_prevention_has_no_legal_follow_up_duty(org, episode_of):
    """§ 95, stk. 1 covers §§ 32, 46, 47, 114-116 and 120: not a § 30 offer."""
    episode = episode_of("preventive", days_ago=200)
    episode.intervention.legal_concept = "early_prevention"
    episode.intervention.save()
    plans = plans_for(episode, timezone.localdate(), Rules.load())
    assert plans.legal is None and plans.model is not None
