"""F10 point 5: a goal whose date has passed is marked on the plan."""

from datetime import timedelta

from django.utils import timezone

from trappen.plans.models import Goal


def test_a_goal_is_past_due_only_after_its_date():
    today = timezone.localdate()
    assert Goal(due_on=today - timedelta(days=1)).is_past_due
    assert not Goal(due_on=today).is_past_due
    assert not Goal(due_on=today + timedelta(days=1)).is_past_due
