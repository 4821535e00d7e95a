"""One truth about a case's deadlines (F10 point 5): the Django side of
`trappen.core.open_deadlines`. It gathers the rows the rule reads and labels its result for
the case page, "Mit overblik" (its "Næste frist"), "Mine opfølgninger" and the team view.

Two ways to gather, one rule:
- `for_loaded(loaded, due_rows)`: the case page, from the rows its `Loaded` has already read
  (the notifications, investigations, active episodes and plan revisions) — no query but the
  § 91 rule, read only when a measure waits for its plan.
- `open_deadlines(cases, due_rows)`: a list of cases, in bulk: four queries for any number of
  cases (notifications, investigations, active episodes, first plans) and the § 91 rule when
  needed; no query per case.

`due_rows`: the follow-up plans the page already has (`followups.duelist.DueRow`: the case
page panel's rows or `duelist.for_caseworker()`'s), handed in so no page plans twice and
casefile imports no follow-up module.

Only reads of cases the caller has from the policy (`policy.get_case`, `own_open_cases`,
`team_open_cases`); the callers audit what they show (`note_reads`)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.cases.overview import Deadline
from trappen.common.lookups import AnyOf
from trappen.common.periods import active_on_q
from trappen.core import legal
from trappen.core import open_deadlines as rule
from trappen.intake.models import Notification
from trappen.investigations.models import ChildInvestigation
from trappen.measures.models import INSTITUTION_TYPES, Consent, Episode
from trappen.plans.models import ActionPlanRevision
from trappen.rules.models import DeadlineRule

Kind = rule.Kind


def label(found: rule.OpenDeadline) -> str:
    measure = {"measure": found.subject}
    if found.kind is Kind.ASSESSMENT:
        return _("24-hour assessment")
    if found.kind is Kind.INVESTIGATION:
        return _("Child investigation")
    if found.kind is Kind.PRELIMINARY:
        return _("Preliminary assessment of the child investigation")
    if found.kind is Kind.PLAN:
        return _("Barnets plan: %(measure)s") % measure
    if found.kind is Kind.EXIT_PLAN:
        return _("Exit plan missing: %(measure)s") % measure
    if found.kind is Kind.DISCHARGE:
        return _("Planned discharge: %(measure)s") % measure
    return _("Follow-up: %(measure)s") % measure


def shown(found: rule.OpenDeadline) -> Deadline:
    return Deadline(found.due, label(found), found.kind.value, found.source)


# ---- rows ----------------------------------------------------------------------------------


def _measure_row(
    case_id: int,
    pk: int,
    name: str,
    start_on: Any,
    concept: str,
    consent: str,
    placement_type: str,
    discharge: Any,
    next_step: Any,
) -> rule.MeasureRow:
    institution = placement_type in INSTITUTION_TYPES
    return rule.MeasureRow(
        case=case_id,
        episode=pk,
        name=name,
        start_on=start_on,
        needs_plan=concept in legal.PLAN_CONCEPTS,
        without_consent=consent == Consent.WITHOUT,
        institution=institution,
        has_exit_plan=discharge is not None and next_step is not None,
        planned_discharge_on=discharge,
    )


def _follow_up_rows(due_rows: Iterable[Any]) -> list[rule.FollowUpRow]:
    out = []
    for row in due_rows:
        due = row.plans.next_due
        if due is not None:
            episode = row.episode
            out.append(rule.FollowUpRow(row.case.pk, episode.pk, episode.intervention.name, due))
    return out


def _plan_rules(measures: Sequence[rule.MeasureRow], plans: dict[int, Any]) -> list[Any]:
    """The § 91 rule rows, read only when a measure waits for its plan."""
    if not any(m.needs_plan and m.case not in plans for m in measures):
        return []
    return [r.as_core() for r in DeadlineRule.objects.filter(key=DeadlineRule.Key.CHILD_PLAN)]


def _result(case_ids: list[int], rows: rule.CaseRows) -> dict[int, list[Deadline]]:
    rules = _plan_rules(list(rows.measures), rows.plans_made)
    found = rule.open_deadlines(case_ids, rows, rules, timezone.localtime())
    return {pk: [shown(d) for d in found[pk]] for pk in case_ids}


def for_loaded(loaded: Any, due_rows: Iterable[Any]) -> list[Deadline]:
    """The case page's open deadlines, from the rows its `casefile.loaded.Loaded` holds."""
    case = loaded.case
    revisions = loaded.plan_revisions
    plans = {}
    if revisions:
        first = min(revisions, key=lambda r: (r.created_at, r.pk))
        plans[case.pk] = timezone.localdate(first.created_at)
    rows = rule.CaseRows(
        notifications=[
            rule.NotificationRow(case.pk, n.assessment_deadline, n.assessed_at is not None)
            for n in loaded.notifications
        ],
        investigations=[
            rule.InvestigationRow(
                case.pk, i.tier, i.deadline, i.completed_on, i.preliminary_on, i.aware_on
            )
            for i in loaded.investigations
        ],
        measures=[
            _measure_row(
                case.pk,
                e.pk,
                e.intervention.name,
                e.start_on,
                e.intervention.legal_concept,
                e.consent,
                e.intervention.placement_type,
                e.planned_discharge_on,
                e.intended_next_step,
            )
            for e in loaded.active_episodes()
        ],
        follow_ups=_follow_up_rows(due_rows),
        plans_made=plans,
    )
    return _result([case.pk], rows)[case.pk]


def with_first_plan(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`cases` with the day their first plan was made (`first_plan_at`), so `open_deadlines()`
    needs no query of its own for it."""
    return cases.annotate(first_plan_at=Min("action_plan__revisions__created_at"))


def open_deadlines(cases: Iterable[Case], due_rows: Iterable[Any]) -> dict[int, list[Deadline]]:
    """Per case pk: its open deadlines, soonest first, read in bulk (no query per case)."""
    cases = list(cases)
    case_ids = [c.pk for c in cases]
    if not case_ids:
        return {}
    today = timezone.localdate()
    notifications = Notification.objects.filter(
        AnyOf("case_id", case_ids), assessed_at__isnull=True
    ).values_list("case_id", "assessment_deadline")
    investigations = ChildInvestigation.objects.filter(
        AnyOf("case_id", case_ids), completed_on__isnull=True
    ).values_list("case_id", "tier", "deadline", "completed_on", "preliminary_on", "aware_on")
    episodes = (
        Episode.objects.filter(active_on_q(today), AnyOf("case_id", case_ids))
        .order_by("pk")
        .values_list(
            "case_id",
            "pk",
            "intervention__name",
            "start_on",
            "intervention__legal_concept",
            "consent",
            "intervention__placement_type",
            "planned_discharge_on",
            "intended_next_step",
        )
    )
    if all(hasattr(c, "first_plan_at") for c in cases):  # annotated by with_first_plan()
        annotated: list[Any] = cases  # first_plan_at: an annotation the stubs do not know
        first_plans: Any = [(c.pk, c.first_plan_at) for c in annotated if c.first_plan_at]
    else:
        first_plans = (
            ActionPlanRevision.objects.filter(plan__case_id__in=case_ids)
            .values("plan__case_id")
            .annotate(first=Min("created_at"))
            .values_list("plan__case_id", "first")
        )
    rows = rule.CaseRows(
        notifications=[rule.NotificationRow(c, due, False) for c, due in notifications],
        investigations=[rule.InvestigationRow(*values) for values in investigations],
        measures=[_measure_row(*values) for values in episodes],
        follow_ups=_follow_up_rows(due_rows),
        plans_made={c: timezone.localdate(first) for c, first in first_plans},
    )
    return _result(case_ids, rows)


def overdue(found: dict[int, list[Deadline]]) -> dict[int, list[Deadline]]:
    """Only the overdue ones, for the cases that have any (the team view)."""
    late = {pk: [d for d in ds if d.is_overdue()] for pk, ds in found.items()}
    return {pk: ds for pk, ds in late.items() if ds}
