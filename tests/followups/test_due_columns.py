"""The due lists' columnar planning says what `plans_for()` says, episode by episode."""

import random
from datetime import date, timedelta

import pytest

from trappen.catalogue.models import CadenceCategory, Intervention, LegalConcept
from trappen.followups import duelist
from trappen.followups.due_columns import EpisodeSummary, summaries
from trappen.followups.models import FollowUp, FollowUpException, ProviderReport
from trappen.followups.schedule import Rules, plans_for
from trappen.investigations.models import ChildInvestigation
from trappen.measures.models import Episode

from ..conftest import DAILY_COST

CATEGORIES = [c for c in CadenceCategory.values]
PLACEMENTS = ["", "", "residential_institution", "foster_ordinary", "foster_network"]
RHYTHMS = ["", "2m", "3m", "6w", "bad", *[""] * 30]


def generated(org, rng: random.Random, count: int, first: int = 0) -> list[Episode]:
    """Episodes of every category, placement or not, under Serviceloven and Barnets Lov, with
    follow-ups of every form, rhythm decisions, exceptions, investigations and reports."""
    cases = iter(org.case(org.child(f"010115{5000 + first + k}")) for k in range(count + 1))
    case = next(cases)
    episodes = []
    for n in range(count):
        intervention = Intervention.objects.create(
            name=f"Generated {n} {rng.random()}",
            step_id=rng.randint(1, 5),
            placement_type=rng.choice(PLACEMENTS),
            cadence_category=rng.choice(CATEGORIES),
            legal_concept=rng.choice(LegalConcept.values),
        )
        if rng.random() < 0.3:
            case = next(cases)
        start = date(2014, 1, 1) + timedelta(days=rng.randint(0, 4350))
        end = start + timedelta(days=rng.randint(20, 900)) if rng.random() < 0.3 else None
        episode = Episode.objects.create(
            child=case.child,
            case=case,
            intervention=intervention,
            start_on=start,
            end_on=end,
            daily_cost=DAILY_COST,
            created_by=org.cw1,
        )
        day = start - timedelta(days=rng.randint(0, 20))
        for _ in range(rng.randint(0, 14)):
            day += timedelta(days=rng.randint(5, 120))
            FollowUp.objects.create(
                episode=episode,
                case=case,
                held_on=day,
                form=rng.choice(["meeting", "meeting", "phone", "mail"]),
                child_conversation=rng.random() < 0.8,
                at_placement=rng.random() < 0.5,
                rhythm=rng.choice(RHYTHMS),
                plan_review="kept",
                recorded_by=org.cw1,
            )
        if rng.random() < 0.3:
            approved = start + timedelta(days=rng.randint(0, 300))
            FollowUpException.objects.create(
                episode=episode,
                kind="far_away",
                reason="Langt væk",
                approved_on=approved,
                approved_by=org.leader,
                withdrawn_on=approved + timedelta(days=200) if rng.random() < 0.5 else None,
            )
        if rng.random() < 0.4:
            began = start - timedelta(days=rng.randint(0, 40))
            ChildInvestigation.objects.create(
                case=case,
                tier=rng.choice(["afdaekning", "screening", "investigation"]),
                started_on=began,
                completed_on=began + timedelta(days=rng.randint(10, 150)),
                started_by=org.cw1,
            )
        for _ in range(rng.randint(0, 2)):
            ProviderReport.objects.create(
                episode=episode,
                received_on=start + timedelta(days=rng.randint(200, 300)),
                recorded_by=org.cw1,
            )
        episodes.append(episode)
    return episodes


@pytest.mark.parametrize("seed", range(4))
def test_the_columns_equal_plans_for_on_generated_episodes(org, seed):
    rng = random.Random(seed)
    generated(org, rng, 30)
    rules = Rules.load()
    for today in (date(2015, 3, 1), date(2019, 7, 15), date(2026, 1, 2)):
        listed = list(
            Episode.objects.filter(start_on__lte=today)
            .prefetch_related("follow_ups", "exceptions", "reports", "case__investigations")
            .select_related("intervention")
        )
        got = summaries(listed, today, rules)
        for episode, summary in zip(listed, got, strict=True):
            want = EpisodeSummary.of(plans_for(episode, today, rules))
            assert summary == want, (seed, today, episode.pk)


def test_the_generated_episodes_exercise_every_branch(org):
    """The comparison above is only as good as its data: it covers overdue and met points
    under both rule sets, the visit years and the provider's reports."""
    generated(org, random.Random(0), 60)
    rules = Rules.load()
    today = date(2026, 1, 2)
    listed = list(Episode.objects.all())
    got = [EpisodeSummary.of(plans_for(e, today, rules)) for e in listed]
    assert any(s.behind_model for s in got) and any(s.behind_law for s in got)
    assert any(s.model and s.model.met for s in got) and any(s.legal and s.legal.met for s in got)
    assert any(s.rhythm_missing for s in got)
    assert any(s.model is None and s.legal is None for s in got)
    assert any(s.legal is None and s.model is not None for s in got)
    plans = [plans_for(e, today, rules) for e in listed]
    kinds = {d.kind for p in plans for plan in (p.model, p.legal) if plan for d in plan.dues}
    assert {"visit", "report", "status"} <= {str(k) for k in kinds}


def test_the_due_lists_are_the_per_episode_plans(org, episode_of):
    """What the caseworker's and the team's lists show is what the per-episode plans say."""
    generated(org, random.Random(7), 25)
    today = date(2026, 1, 2)
    mine = duelist.for_caseworker(org.cw1, today)
    rules = Rules.load()
    every = duelist.rows(
        duelist.active_episodes(duelist.policy.own_open_cases(org.cw1), today), today, rules
    )
    overdue = [r for r in every if r.overdue]
    assert [r.episode.pk for r in mine.overdue] == [r.episode.pk for r in overdue]
    assert [r.plans.next_due for r in mine.overdue] == [r.plans.next_due for r in overdue]
    team = duelist.for_team(org.leader, org.cw1.team, today)
    assert team.total.episodes == len(every)
    assert team.total.due_model == sum(
        EpisodeSummary.of(r.plans).model.points_due for r in every if r.plans.model
    )


PAGES = {"my_due": "/follow-ups/", "team_due": "/follow-ups/team/", "team": "/team/"}
# The pins: the queries of each page, whatever the number of episodes (no N+1). "Mine
# opfølgninger" and the team view also show the cases' open deadlines (F10 point 5,
# casefile.deadlines: the open cases, their unassessed notifications, open investigations and
# plans, a fixed number of queries for any number of cases), hence 21 and 27, not 16 and 23.
MAX_QUERIES = {"my_due": 21, "team_due": 16, "team": 27}


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_the_due_lists_and_the_team_view_make_no_query_per_episode(
    org, page, django_assert_max_num_queries
):
    user = org.cw1 if page == "my_due" else org.leader
    client = org.client(user)
    generated(org, random.Random(3), 8)
    client.get(PAGES[page])  # the first request of a session reads a few things once
    few = _queries(client, PAGES[page])
    generated(org, random.Random(4), 24, first=100)
    assert _queries(client, PAGES[page]) == few
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        client.get(PAGES[page])
