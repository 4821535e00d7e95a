"""Due lists for many episodes at once, through the columnar cadence engine.

`schedule.plans_for()` plans one episode at a time (`cadence.plan()` walks its due points in
Python); a team's or a municipality's due list needs every active episode. `summaries()` takes
the same inputs as `plans_for()` from `schedule.plan_setups()` (the schedule in force at the
start, the follow-ups each plan counts, the legal schedule of § 95, the provider's reports, the
§ 156, stk. 5 visit years) and plans all of them in one call of
`cadence_columnar.plan_columns()`; the visit years are added per placement as in `plans_for()`.
What comes out is what the lists show: the next due date, whether each plan is behind, and the
points met on time of those due. tests/followups/test_due_columns.py proves it
equal to `plans_for()`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from trappen.catalogue.models import CadenceCategory
from trappen.core.cadence import Due, Plan, Schedule, State
from trappen.core.cadence_columnar import compile_schedules, csr_from_episode_ids, plan_columns
from trappen.measures.models import Episode

from .schedule import EpisodePlans, EpisodeRows, PlanSetup, Rules, plan_setups


@dataclass(frozen=True)
class PlanSummary:
    """One plan as the due lists read it."""

    next_due: date | None
    overdue_count: int
    met: int
    points_due: int  # the points already due (met, late or overdue)

    @property
    def overdue(self) -> bool:
        return self.overdue_count > 0

    @classmethod
    def of(cls, plan: Plan) -> "PlanSummary":
        past = [d for d in plan.dues if d.state is not State.UPCOMING]
        return cls(
            plan.next_due.due if plan.next_due else None,
            len(plan.overdue),
            sum(d.state is State.MET for d in past),
            len(past),
        )

    def with_dues(self, dues: Sequence[Due]) -> "PlanSummary":
        """This summary with more due points (the visit years) in it."""
        open_ = [d.due for d in dues if d.state in (State.OVERDUE, State.UPCOMING)]
        if self.next_due is not None:
            open_.append(self.next_due)
        past = [d for d in dues if d.state is not State.UPCOMING]
        return PlanSummary(
            min(open_) if open_ else None,
            self.overdue_count + sum(d.state is State.OVERDUE for d in dues),
            self.met + sum(d.state is State.MET for d in past),
            self.points_due + len(past),
        )


@dataclass(frozen=True)
class EpisodeSummary:
    """`EpisodePlans` as the due lists read it: the same names, summaries for plans."""

    episode: Episode
    model: PlanSummary | None
    legal: PlanSummary | None
    rhythm_missing: bool = False

    @property
    def next_due(self) -> date | None:
        dues = [p.next_due for p in (self.model, self.legal) if p and p.next_due]
        return min(dues) if dues else None

    @property
    def behind_model(self) -> bool:
        return bool(self.model and self.model.overdue)

    @property
    def behind_law(self) -> bool:
        return bool(self.legal and self.legal.overdue)

    @classmethod
    def of(cls, plans: EpisodePlans) -> "EpisodeSummary":
        return cls(
            plans.episode,
            PlanSummary.of(plans.model) if plans.model else None,
            PlanSummary.of(plans.legal) if plans.legal else None,
            plans.rhythm_missing,
        )


@dataclass(frozen=True)
class _Job:
    """One plan to compute: an episode's model or legal plan."""

    episode: int  # index into the episodes
    setup: PlanSetup

    @property
    def legal(self) -> bool:
        return self.setup.legal

    @property
    def schedule(self) -> Schedule:
        return self.setup.schedule


def summaries(
    episodes: Sequence[Episode],
    today: date,
    rules: Rules,
    given: Mapping[int, EpisodeRows] | None = None,
) -> list[EpisodeSummary]:
    """Per episode (in order), what `plans_for(episode, today, rules)` says, summarised.

    The episodes' rows come from `given` (episode pk -> its rows, read as tuples by
    `duelist.summary_rows()`), else the episodes should carry their follow-ups, exceptions,
    reports and the case's investigations prefetched (`duelist.active_episodes()` does)."""
    jobs: list[_Job] = []
    flags: list[tuple[bool, tuple[Due, ...] | None]] = []
    for index, episode in enumerate(episodes):
        if episode.intervention.cadence_category == CadenceCategory.NONE:
            flags.append((False, None))
            continue
        if given is not None:
            setups, rhythm_missing = plan_setups(episode, today, rules, [], given[episode.pk])
        else:
            held = sorted(episode.follow_ups.all(), key=lambda f: f.held_on)
            setups, rhythm_missing = plan_setups(episode, today, rules, held)
        jobs.extend(_Job(index, setup) for setup in setups)
        visits = next((s.visits for s in setups if s.legal), None)
        flags.append((rhythm_missing, visits))
    out: list[dict[bool, PlanSummary]] = [{} for _ in episodes]
    if jobs:
        distinct, numbers = _numbered([job.schedule for job in jobs])
        held_dates, offsets = _csr([job.setup.held for job in jobs])
        received, report_offsets = _csr([job.setup.reports for job in jobs])
        columns = plan_columns(
            compile_schedules(distinct),
            np.array(numbers, dtype=np.int64),
            np.array([episodes[job.episode].start_on for job in jobs], dtype="datetime64[D]"),
            held_dates,
            offsets,
            today,
            np.array([episodes[job.episode].end_on for job in jobs], dtype="datetime64[D]"),
            reports=received,
            report_offsets=report_offsets,
        )
        next_due = columns.next_due.astype(object)  # NaT -> None, dates -> date
        for i, job in enumerate(jobs):
            out[job.episode][job.legal] = PlanSummary(
                next_due[i],
                int(columns.overdue_count[i]),
                int(columns.met[i]),
                int(columns.points_due[i]),
            )
    result = []
    for episode, plans, (rhythm_missing, visits) in zip(episodes, out, flags, strict=True):
        legal = plans.get(True)
        if legal is not None and visits is not None:
            legal = legal.with_dues(visits)
        result.append(EpisodeSummary(episode, plans.get(False), legal, rhythm_missing))
    return result


def _numbered(schedules: Sequence[Schedule]) -> tuple[list[Schedule], list[int]]:
    """The distinct schedules and each one's number in them. Most jobs share the rule set's
    own schedule object: compared by identity first, a schedule's (deep) hash is computed
    once per object, not once per job."""
    distinct: list[Schedule] = []
    by_value: dict[Schedule, int] = {}
    by_id: dict[int, int] = {}
    numbers = []
    for schedule in schedules:
        number = by_id.get(id(schedule))
        if number is None:
            number = by_value.setdefault(schedule, len(distinct))
            if number == len(distinct):
                distinct.append(schedule)
            by_id[id(schedule)] = number
        numbers.append(number)
    return distinct, numbers


def _csr(groups: Sequence[Sequence[date]]) -> tuple[NDArray[np.datetime64], NDArray[np.int64]]:
    ids = np.repeat(np.arange(len(groups), dtype=np.int64), [len(g) for g in groups])
    days = np.array([d for g in groups for d in g], dtype="datetime64[D]")
    return csr_from_episode_ids(ids, days, len(groups))
