"""The lists' fast path (rows read as tuples, every episode planned at once by the columnar
engine) gives exactly what planning each episode by itself with `cadence.plan()` gives, for
generated episodes (Hypothesis). No rows are written: the episodes are unsaved instances and
their rows the tuples `duelist.list_rows()` would read."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trappen.catalogue.models import CadenceCategory, Intervention, LegalConcept
from trappen.core.cadence import Plan, plan
from trappen.core.followup_schedule import ExceptionSpan, InvestigationSpan
from trappen.followups.due_columns import EpisodeSummary, summaries
from trappen.followups.models import FollowUp
from trappen.followups.schedule import (
    EpisodePlans,
    EpisodeRows,
    Rules,
    held_from_values,
    plan_setups,
)
from trappen.measures.models import Episode

PLACEMENTS = ["", "residential_institution", "foster_ordinary", "foster_network"]
RHYTHMS = ["", "", "", "2m", "3m", "6w", "bad"]
TODAYS = [date(2015, 3, 1), date(2019, 7, 15), date(2026, 1, 2)]

days = st.integers(min_value=0, max_value=4350).map(lambda n: date(2014, 1, 1) + timedelta(n))
follow_ups = st.lists(
    st.tuples(
        st.integers(min_value=5, max_value=120),  # days after the one before
        st.sampled_from(FollowUp.Form.values),
        st.booleans(),
        st.booleans(),
        st.sampled_from(RHYTHMS),
    ),
    max_size=12,
)
episodes = st.fixed_dictionaries(
    {
        "category": st.sampled_from(CadenceCategory.values),
        "placement": st.sampled_from(PLACEMENTS),
        "concept": st.sampled_from(LegalConcept.values),
        "start": days,
        "length": st.none() | st.integers(min_value=20, max_value=900),
        "held": follow_ups,
        "exception": st.none() | st.tuples(st.integers(0, 300), st.none() | st.integers(1, 300)),
        "reports": st.lists(st.integers(min_value=200, max_value=300), max_size=2),
        "investigation": st.none()
        | st.tuples(
            st.sampled_from(["afdaekning", "screening", "investigation"]),
            st.integers(0, 40),
            st.none() | st.integers(10, 150),
        ),
    }
)


def _made(n: int, spec: dict) -> tuple[Episode, EpisodeRows]:
    start = spec["start"]
    intervention = Intervention(
        pk=n,
        name=f"Generated {n}",
        placement_type=spec["placement"],
        cadence_category=spec["category"],
        legal_concept=spec["concept"],
    )
    episode = Episode(
        pk=n,
        case_id=n,
        child_id=n,
        start_on=start,
        end_on=start + timedelta(spec["length"]) if spec["length"] else None,
    )
    episode.intervention = intervention
    held, day = [], start - timedelta(10)
    for gap, form, conversation, at_placement, rhythm in spec["held"]:
        day += timedelta(gap)
        held.append(held_from_values(day, form, conversation, at_placement, rhythm))
    exceptions = []
    if spec["exception"]:
        after, withdrawn = spec["exception"]
        approved = start + timedelta(after)
        exceptions.append(
            ExceptionSpan(approved, approved + timedelta(withdrawn) if withdrawn else None)
        )
    investigations = []
    if spec["investigation"]:
        tier, before, length = spec["investigation"]
        began = start - timedelta(before)
        investigations.append(
            InvestigationSpan(tier, began, began + timedelta(length) if length else None)
        )
    reports = tuple(sorted((start + timedelta(d) for d in spec["reports"]), reverse=True))
    return episode, EpisodeRows(held, exceptions, reports, investigations)


def _one_by_one(episode: Episode, today: date, rules: Rules, rows: EpisodeRows) -> EpisodeSummary:
    """`schedule.plans_for()` from the same rows: each plan by `cadence.plan()`."""
    if episode.intervention.cadence_category == CadenceCategory.NONE:
        return EpisodeSummary(episode, None, None)
    setups, rhythm_missing = plan_setups(episode, today, rules, [], rows)
    found: dict[bool, Plan] = {}
    for setup in setups:
        p = plan(setup.schedule, episode.start_on, setup.held, today, episode.end_on,
                 reports=setup.reports)  # fmt: skip
        if setup.visits is not None:
            p = Plan(tuple(sorted((*p.dues, *setup.visits), key=lambda d: d.due)))
        found[setup.legal] = p
    return EpisodeSummary.of(
        EpisodePlans(episode, found.get(False), found.get(True), rhythm_missing)
    )


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(specs=st.lists(episodes, min_size=1, max_size=8), today=st.sampled_from(TODAYS))
def test_the_fast_path_plans_as_plan_does_episode_by_episode(specs, today):
    rules = Rules.load()
    made = [_made(n + 1, spec) for n, spec in enumerate(specs)]
    listed = [episode for episode, _rows in made if episode.start_on <= today]
    rows = {episode.pk: r for episode, r in made}
    got = summaries(listed, today, rules, rows)
    assert got == [_one_by_one(e, today, rules, rows[e.pk]) for e in listed]
