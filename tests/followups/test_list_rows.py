"""The due lists read the episodes' rows as tuples (F11 point 7): what they plan from is what
the model instances give, and a list costs the same queries for any number of episodes."""

import itertools
import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trappen.followups import duelist
from trappen.followups.due_columns import EpisodeSummary, summaries
from trappen.followups.models import FollowUp
from trappen.followups.schedule import Rules, held_follow_up, held_from_values, plans_for
from trappen.measures.models import Episode

from .test_due_columns import generated


def test_a_follow_up_read_as_values_counts_as_the_model_instance_says():
    for form, conversation, at_placement, rhythm in itertools.product(
        FollowUp.Form.values, (True, False), (True, False), ("", "3m")
    ):
        f = FollowUp(
            held_on=date(2025, 1, 2), form=form, child_conversation=conversation,
            at_placement=at_placement, rhythm=rhythm,
        )  # fmt: skip
        assert held_from_values(
            f.held_on, f.form, f.child_conversation, f.at_placement, f.rhythm
        ) == held_follow_up(f)


@pytest.mark.parametrize("seed", range(3))
def test_the_lists_tuples_plan_as_the_model_instances(org, seed):
    generated(org, random.Random(100 + seed), 30)
    rules = Rules.load()
    for today in (date(2015, 3, 1), date(2019, 7, 15), date(2026, 1, 2)):
        listed = list(Episode.objects.filter(start_on__lte=today).select_related("intervention"))
        found = duelist.list_rows(listed)
        got = summaries(listed, today, rules, found.rows)
        for episode, summary in zip(listed, got, strict=True):
            assert summary == EpisodeSummary.of(plans_for(episode, today, rules)), episode.pk
            held = list(episode.follow_ups.order_by("held_on", "pk"))
            want = (held[-1].held_on, held[-1].next_agreed_on) if held else None
            assert found.last.get(episode.pk) == want


def test_a_list_reads_the_same_queries_for_more_episodes(org):
    rules = Rules.load()
    generated(org, random.Random(1), 5)
    episodes = list(Episode.objects.select_related("intervention", "case"))
    with CaptureQueriesContext(connection) as few:
        duelist.summary_rows(episodes, date(2026, 1, 2), rules)
    generated(org, random.Random(2), 40, first=100)
    episodes = list(Episode.objects.select_related("intervention", "case"))
    with CaptureQueriesContext(connection) as many:
        duelist.summary_rows(episodes, date(2026, 1, 2), rules)
    assert len(many.captured_queries) == len(few.captured_queries) == 4


def test_the_lists_episodes_are_the_orms_episodes_with_fewer_columns(org):
    """`listed_episodes()` makes its instances without `Model.__init__()`: what they hold, what
    they defer and what they relate to is what the ORM's own loading gives."""
    generated(org, random.Random(5), 12)
    today = date(2026, 1, 2)
    cases = duelist.policy.team_open_cases(org.leader, org.cw1.team)
    listed = duelist.listed_episodes(cases, today)
    orm = {e.pk: e for e in duelist.list_episodes(cases, today)}
    assert listed and sorted(e.pk for e in listed) == sorted(orm)
    for episode in listed:
        want = orm[episode.pk]
        assert not episode._state.adding and episode._state.db == want._state.db
        for name in duelist.EPISODE_FIELDS:
            assert getattr(episode, name) == getattr(want, name)
        assert episode.intervention == want.intervention
        assert episode.case == want.case and episode.case.child == want.case.child
        assert episode.case.caseworker == want.case.caseworker
        assert episode.case.child.full_name == want.case.child.full_name
        assert "daily_cost" in episode.get_deferred_fields()
    with CaptureQueriesContext(connection) as deferred:
        assert listed[0].daily_cost == orm[listed[0].pk].daily_cost  # read when asked for
    assert len(deferred.captured_queries) == 1


def test_the_team_tally_per_category_is_labelled_as_the_measures_category(org):
    generated(org, random.Random(6), 20)
    today = date(2026, 1, 2)
    team = duelist.for_team(org.leader, org.cw1.team, today)
    listed = duelist.listed_episodes(
        duelist.policy.team_open_cases(org.leader, org.cw1.team), today
    )
    want: dict[str, int] = {}
    for e in listed:
        label = e.intervention.get_cadence_category_display()
        want[label] = want.get(label, 0) + 1
    assert {k: t.episodes for k, t in team.by_category.items()} == want
    assert list(team.by_category) == sorted(want)
