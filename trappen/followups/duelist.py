"""Due lists: what needs following up, for a caseworker and for a team.

The lists plan every active episode at once through the columnar engine (`due_columns`); the
case page's panel keeps the full plans of its few episodes (`rows()`)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.db.models import Prefetch, QuerySet

from trappen.access import policy
from trappen.cases.models import Case, Child
from trappen.catalogue.models import CadenceCategory, Intervention
from trappen.common.lookups import AnyOf
from trappen.common.partial import Shared, attnames, maker, relate
from trappen.core.followup_schedule import ExceptionSpan, HeldFollowUp, InvestigationSpan
from trappen.investigations.models import ChildInvestigation
from trappen.measures.models import Episode
from trappen.organisation.models import Team, User

from .due_columns import EpisodeSummary, PlanSummary, summaries
from .models import FollowUp, FollowUpException, ProviderReport
from .schedule import HELD_FIELDS, EpisodePlans, EpisodeRows, Rules, held_from_values, plans_for

SOON_DAYS = 14


def active_episodes(cases: QuerySet[Case], today: date) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(case__in=cases)
        .active_on(today)
        .exclude(intervention__cadence_category="none")
        .select_related("intervention", "case__child", "case__caseworker")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("held_on")),
            "exceptions",
            "reports",
            "case__investigations",
        )
    )


def list_episodes(cases: QuerySet[Case], today: date) -> QuerySet[Episode]:
    """`active_episodes()` for the lists: the episodes with their intervention, case, child and
    caseworker, nothing prefetched; `summary_rows()` reads what the planning needs of their
    follow-ups, exceptions, reports and investigations as tuples (`list_rows()`), which is
    most of the time of loading a team's episodes as model instances."""
    return active_episodes(cases, today).prefetch_related(None)


# The columns the lists read of an episode, its case and its child (`listed_episodes()`).
EPISODE_FIELDS = ("id", "case_id", "child_id", "intervention_id", "start_on", "end_on")
CASE_FIELDS = ("child_id", "team_id", "caseworker_id", "status")
CHILD_FIELDS = ("first_name", "last_name", "external_id")


def listed_episodes(cases: QuerySet[Case], today: date) -> list[Episode]:
    """`list_episodes()` read as tuples, in one query: the columns the lists show and plan
    from (the episode's dates, its case's caseworker and status, the child's name, the
    intervention, the caseworker), made into instances holding only those (any other field is
    read when asked for, as a deferred one), each intervention and caseworker one instance
    shared by its rows. Loaded through the ORM, a team's few hundred episodes cost five model
    instances each, with every column of the episode, case and child."""
    interventions, users = attnames(Intervention), attnames(User)
    columns = [
        *EPISODE_FIELDS,
        *(f"case__{f}" for f in CASE_FIELDS),
        *(f"case__child__{f}" for f in CHILD_FIELDS),
        *(f"intervention__{f}" for f in interventions),
        *(f"case__caseworker__{f}" for f in users),
    ]
    queryset = (
        Episode.objects.filter(case__in=cases)
        .active_on(today)
        .exclude(intervention__cadence_category="none")
    )
    db = queryset.db
    ends = list(accumulate((6, len(CASE_FIELDS), len(CHILD_FIELDS), len(interventions))))
    shared = Shared(db)
    make_episode, make_case, make_child = maker(Episode, db), maker(Case, db), maker(Child, db)
    episodes: list[Episode] = []
    by_pk: dict[int, Case] = {}
    for r in queryset.values_list(*columns):
        e = dict(zip(EPISODE_FIELDS, r[: ends[0]], strict=True))
        case = by_pk.get(e["case_id"])
        if case is None:
            c = dict(zip(CASE_FIELDS, r[ends[0] : ends[1]], strict=True))
            k = dict(zip(CHILD_FIELDS, r[ends[1] : ends[2]], strict=True))
            case = make_case({"id": e["case_id"], **c})
            relate(case, "child", make_child({"id": c["child_id"], **k}))
            if case.caseworker_id is not None:
                relate(case, "caseworker", shared.one(User, r[ends[3] :]))
            by_pk[case.pk] = case
        episode = make_episode(e)
        relate(episode, "intervention", shared.one(Intervention, r[ends[2] : ends[3]]))
        relate(episode, "case", case)
        episodes.append(episode)
    return episodes


@dataclass(frozen=True)
class ListRows:
    """The rows the lists plan from, per episode pk, and each episode's last follow-up
    (held on, next agreed on)."""

    rows: dict[int, EpisodeRows]
    last: dict[int, tuple[date, date | None]]


def list_rows(episodes: Sequence[Episode]) -> ListRows:
    """Four queries for any number of episodes, read as tuples: the follow-ups (in the order
    held), the exceptions, the provider's reports and the cases' investigations."""
    ids = [e.pk for e in episodes]
    held: dict[int, list[HeldFollowUp]] = defaultdict(list)
    last: dict[int, tuple[date, date | None]] = {}
    follow_ups = (
        FollowUp.objects.filter(AnyOf("episode_id", ids))
        .order_by("episode_id", "held_on", "pk")
        .values_list("episode_id", "next_agreed_on", *HELD_FIELDS)
    )
    for episode_id, next_agreed_on, *values in follow_ups:
        held[episode_id].append(held_from_values(*values))
        last[episode_id] = (values[0], next_agreed_on)
    exceptions: dict[int, list[ExceptionSpan]] = defaultdict(list)
    for episode_id, approved_on, withdrawn_on in (
        FollowUpException.objects.filter(AnyOf("episode_id", ids))
        .order_by("-approved_on", "pk")
        .values_list("episode_id", "approved_on", "withdrawn_on")
    ):
        exceptions[episode_id].append(ExceptionSpan(approved_on, withdrawn_on))
    reports: dict[int, list[date]] = defaultdict(list)
    for episode_id, received_on in (
        ProviderReport.objects.filter(AnyOf("episode_id", ids))
        .order_by("-received_on", "pk")
        .values_list("episode_id", "received_on")
    ):
        reports[episode_id].append(received_on)
    investigations: dict[int, list[InvestigationSpan]] = defaultdict(list)
    for case_id, tier, started_on, completed_on in (
        ChildInvestigation.objects.filter(AnyOf("case_id", {e.case_id for e in episodes}))
        .order_by("-started_on", "pk")
        .values_list("case_id", "tier", "started_on", "completed_on")
    ):
        investigations[case_id].append(InvestigationSpan(tier, started_on, completed_on))
    return ListRows(
        {
            e.pk: EpisodeRows(
                held[e.pk], exceptions[e.pk], tuple(reports[e.pk]), investigations[e.case_id]
            )
            for e in episodes
        },
        last,
    )


@dataclass(frozen=True)
class DueRow:
    plans: EpisodePlans | EpisodeSummary
    last_held: date | None
    next_agreed: date | None

    @property
    def episode(self) -> Episode:
        return self.plans.episode

    @property
    def case(self) -> Case:
        return self.plans.episode.case

    @property
    def overdue(self) -> bool:
        return self.plans.behind_model or self.plans.behind_law


def rows(
    episodes: Iterable[Episode],
    today: date,
    rules: Rules,
    held_by_episode: Mapping[int, list[FollowUp]] | None = None,
) -> list[DueRow]:
    """Each episode's full plans. `held_by_episode`: the episodes' follow-ups already read,
    oldest first (the case page's), else each episode's prefetched `follow_ups`."""
    out = []
    for episode in episodes:
        if held_by_episode is not None:
            held = list(held_by_episode.get(episode.pk, ()))
        else:
            held = list(episode.follow_ups.all())
        plans = plans_for(episode, today, rules, held)
        last = held[-1] if held else None
        out.append(
            DueRow(plans, last.held_on if last else None, last.next_agreed_on if last else None)
        )
    return _by_next_due(out)


def summary_rows(episodes: Iterable[Episode], today: date, rules: Rules) -> list[DueRow]:
    """`rows()` for a list: every episode planned at once, each plan summarised; the
    episodes' rows read as tuples (`list_rows()`)."""
    listed = list(episodes)
    found = list_rows(listed)
    out = []
    for summary in summaries(listed, today, rules, found.rows):
        last_held, next_agreed = found.last.get(summary.episode.pk, (None, None))
        out.append(DueRow(summary, last_held, next_agreed))
    return _by_next_due(out)


def _by_next_due(out: list[DueRow]) -> list[DueRow]:
    return sorted(out, key=lambda r: (r.plans.next_due is None, r.plans.next_due))


@dataclass(frozen=True)
class MyDueList:
    overdue: list[DueRow]
    soon: list[DueRow]
    later: list[DueRow]  # every other measure of the caseworker's ("all", F10 point 5)


def for_caseworker(user: User, today: date) -> MyDueList:
    # Through the policy: a caseworker moved to another team keeps none of the old team's.
    cases = policy.own_open_cases(user)
    all_rows = summary_rows(listed_episodes(cases, today), today, Rules.load())
    horizon = today + timedelta(days=SOON_DAYS)
    overdue = [r for r in all_rows if r.overdue]
    soon = [
        r for r in all_rows if not r.overdue and r.plans.next_due and r.plans.next_due <= horizon
    ]
    shown = {id(r) for r in [*overdue, *soon]}
    return MyDueList(overdue, soon, [r for r in all_rows if id(r) not in shown])


@dataclass
class Tally:
    """Follow-up points already due, and how many were met on time, summed over episodes."""

    episodes: int = 0
    overdue_model: int = 0
    overdue_legal: int = 0
    due_model: int = 0
    met_model: int = 0
    due_legal: int = 0
    met_legal: int = 0

    def add(self, plans: EpisodeSummary) -> None:
        self.episodes += 1
        self.overdue_model += int(plans.behind_model)
        self.overdue_legal += int(plans.behind_law)
        self.due_model, self.met_model = _count(plans.model, self.due_model, self.met_model)
        self.due_legal, self.met_legal = _count(plans.legal, self.due_legal, self.met_legal)

    @property
    def model_compliance(self) -> float | None:
        return self.met_model / self.due_model if self.due_model else None

    @property
    def legal_compliance(self) -> float | None:
        return self.met_legal / self.due_legal if self.due_legal else None


def _count(p: PlanSummary | None, due: int, met: int) -> tuple[int, int]:
    if p is None:
        return due, met
    return due + p.points_due, met + p.met


@dataclass
class TeamOverview:
    by_caseworker: dict[User, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    overdue: list[DueRow] = field(default_factory=list)


def for_team(user: User, team: Team, today: date) -> TeamOverview:
    """The team's open cases as `user` (its team leader) may read them today."""
    cases = policy.team_open_cases(user, team)
    overview = TeamOverview()
    by_worker: dict[User, Tally] = defaultdict(Tally)
    by_category: dict[str, Tally] = defaultdict(Tally)  # by the category's value
    for row in summary_rows(listed_episodes(cases, today), today, Rules.load()):
        assert isinstance(row.plans, EpisodeSummary)
        by_worker[row.case.caseworker].add(row.plans)
        by_category[row.episode.intervention.cadence_category].add(row.plans)
        overview.total.add(row.plans)
        if row.overdue:
            overview.overdue.append(row)
    overview.by_caseworker = dict(sorted(by_worker.items(), key=lambda kv: str(kv[0])))
    # Labelled once per category: get_cadence_category_display() per row translated every
    # choice's label each time (a fifth of the team's planning).
    labels = dict(CadenceCategory.choices)
    overview.by_category = dict(
        sorted(
            ((str(labels.get(value, value)), tally) for value, tally in by_category.items()),
            key=lambda kv: kv[0],
        )
    )
    overview.overdue.sort(key=lambda r: (str(r.case.caseworker), r.plans.next_due))
    return overview
