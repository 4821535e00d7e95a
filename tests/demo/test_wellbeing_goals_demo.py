"""The demo's structured investigations, goal links and ratings (F9 points 3-4): present,
on the scales, and the same for the same seed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from trappen.followups.models import FollowUp, GoalRating
from trappen.investigations.models import AreaAssessment, ChildInvestigation, Tier
from trappen.plans.models import Goal

pytestmark = pytest.mark.django_db


def build() -> dict[str, object]:
    call_command("demo", "--children", "120", "--yes", "--no-history", stdout=StringIO())
    return {
        "areas": sorted(AreaAssessment.objects.values_list("investigation__case__child__cpr",
                                                           "area", "rating", "note")),
        "goals": sorted(Goal.objects.values_list("goal", "sdq_subscale")),
        "ratings": sorted(GoalRating.objects.values_list("follow_up__held_on", "rating")),
        "child": sorted(FollowUp.objects.exclude(child_rating=None)
                        .values_list("held_on", "child_rating")),
    }  # fmt: skip


def test_the_demo_has_profiles_linked_goals_and_ratings_the_same_for_the_same_seed():
    first = build()
    investigated = ChildInvestigation.objects.filter(tier=Tier.INVESTIGATION)
    assert investigated.exists()
    assert investigated.filter(areas__isnull=True).count() == 0  # every one has a profile
    assert AreaAssessment.objects.filter(rating__lt=0).exists()
    assert AreaAssessment.objects.filter(rating__gt=0).exists()
    assert not Goal.objects.filter(areas=[]).exists()
    assert Goal.objects.exclude(sdq_subscale="").exists()
    assert GoalRating.objects.aggregate(lo=Min("rating"), hi=Max("rating")) == {"lo": -2, "hi": 2}
    spread = FollowUp.objects.exclude(child_rating=None).aggregate(
        lo=Min("child_rating"), hi=Max("child_rating")
    )
    assert 1 <= spread["lo"] < spread["hi"] <= 10
    assert first == build()
