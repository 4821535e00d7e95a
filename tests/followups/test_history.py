"""Follow-ups on time over time (followups.history): on today it is the due lists' figure
(followups.ontime), per district group and in total; on a past day what the lists said then."""

import random
from datetime import date, timedelta

from django.utils import timezone

from trappen.cases.models import Case, Child
from trappen.followups.history import on_time_history
from trappen.followups.models import FollowUp
from trappen.followups.ontime import on_time

from .test_due_columns import generated


def test_today_is_the_due_lists_figure(org):
    rng = random.Random(3)
    generated(org, rng, 40)
    today = timezone.localdate()
    cases = list(Case.objects.order_by("pk"))
    Child.objects.filter(pk__in=[c.child_id for c in cases[::3]]).update(district=org.d_south)
    for case in cases[::4]:  # some cases closed, before today and today
        case.status, case.closed_on = (
            Case.Status.CLOSED,
            today - timedelta(days=rng.randint(0, 400)),
        )
        case.save()
    total, by_group = on_time(Case.objects.exclude(status=Case.Status.CLOSED), today)
    history = on_time_history([date(2019, 1, 1), today])[today]
    assert total is not None and 0 < total < 1  # the data has met and missed points
    assert history.pop("") == total
    assert history == by_group and set(by_group) == {"Pilot", "Øvrige"}


def test_a_past_day_counts_only_what_was_held_by_then(org, episode_of):
    """A placement from 6 January 2025 (institution: 2 weeks, then every 6 weeks from the
    follow-up held): 20 January met (held 17 January); on 5 March the 28 February point was
    overdue; it was held on 10 March, late, so on 31 March it counts as late, not overdue."""
    episode = episode_of("institution", start=date(2025, 1, 6))
    group = episode.case.child.district.group.name
    for held in (date(2025, 1, 17), date(2025, 3, 10)):
        FollowUp.objects.create(
            episode=episode,
            case=episode.case,
            held_on=held,
            form="meeting",
            child_conversation=True,
            plan_review="kept",
            recorded_by=org.cw1,
        )
    got = on_time_history([date(2025, 1, 10), date(2025, 3, 5), date(2025, 3, 31)])
    assert got[date(2025, 1, 10)] == {group: None, "": None}  # nothing due yet
    assert got[date(2025, 3, 5)] == {group: 0.5, "": 0.5}
    assert got[date(2025, 3, 31)] == {group: 0.5, "": 0.5}
    assert on_time_history([date(2024, 12, 31)]) == {date(2024, 12, 31): {}}  # not started
