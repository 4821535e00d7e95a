"""An episode's two plans (model and law), exceptions, and the Barnets Lov first follow-up."""

from datetime import date, timedelta

from django.utils import timezone

from trappen.followups import services
from trappen.followups.models import FollowUp
from trappen.followups.schedule import Rules, plans_for
from trappen.investigations.models import ChildInvestigation


def hold(episode, day, org, form="meeting", conversation=True):
    return FollowUp.objects.create(
        episode=episode,
        case=episode.case,
        held_on=day,
        form=form,
        child_conversation=conversation,
        plan_review="kept",
        recorded_by=org.cw1,
    )


def test_behind_the_model_but_not_behind_the_law(org, episode_of):
    # An institution placement started 10 weeks ago, followed up once after 2 weeks.
    episode = episode_of("institution", days_ago=70, placement_type="residential_institution")
    hold(episode, episode.start_on + timedelta(days=14), org)
    plans = plans_for(episode, timezone.localdate(), Rules.load())
    assert plans.behind_model  # the 6-week follow-up is missing
    assert not plans.behind_law  # the law's first is at 3 months
    assert plans.next_due == episode.start_on + timedelta(days=14 + 42)


def test_a_phone_follow_up_counts_for_the_model_only_under_an_exception(org, episode_of):
    episode = episode_of("foster_family", days_ago=30, placement_type="foster_ordinary")
    hold(episode, episode.start_on + timedelta(days=13), org, form="phone", conversation=False)
    today = timezone.localdate()
    assert plans_for(episode, today, Rules.load()).behind_model
    services.approve_exception(
        episode, kind="far_away", reason="Anbragt i Aalborg, 120 km væk", by=org.leader
    )
    exception = episode.exceptions.get()
    exception.approved_on = episode.start_on
    exception.save()
    assert not plans_for(episode, today, Rules.load()).behind_model
    services.withdraw_exception(exception, by=org.leader)
    exception.refresh_from_db()
    assert exception.withdrawn_on == today and exception.withdrawn_by == org.leader
    # Withdrawn today: follow-ups held while it was active still count.
    assert not plans_for(episode, today, Rules.load()).behind_model


def test_placements_need_a_visit_with_a_conversation_for_the_law(org, episode_of):
    episode = episode_of("institution", days_ago=120, placement_type="residential_institution")
    hold(episode, episode.start_on + timedelta(days=80), org, form="phone")
    assert plans_for(episode, timezone.localdate(), Rules.load()).behind_law


def test_barnets_lov_first_follow_up_at_the_end_of_a_parallel_investigation(org, episode_of):
    start = timezone.localdate() - timedelta(days=60)
    episode = episode_of("preventive", start=start, placement_type="")
    ChildInvestigation.objects.create(
        case=episode.case,
        started_on=start - timedelta(days=30),
        deadline=start + timedelta(days=90),
        completed_on=start + timedelta(days=20),
        started_by=org.cw1,
    )
    plans = plans_for(episode, timezone.localdate(), Rules.load())
    assert plans.legal.dues[0].due == start + timedelta(days=20)
    assert plans.behind_law


def test_the_legal_rule_in_force_on_the_start_date_applies(org, episode_of):
    episode = episode_of("preventive", start=date(2023, 6, 1))
    plans = plans_for(episode, date(2023, 6, 2), Rules.load())
    assert plans.legal.next_due.due == date(2023, 9, 1)  # SEL § 70: 3 months


def test_no_follow_up_rhythm_means_no_plans(org, episode_of):
    episode = episode_of("none")
    plans = plans_for(episode, timezone.localdate(), Rules.load())
    assert plans.model is None and plans.legal is None and plans.next_due is None
