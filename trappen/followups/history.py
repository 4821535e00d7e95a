"""Follow-ups on time as they stood on past days, for the programme's target over time
(F13 point 5): the rows `core.followup_history` plans from, read as tuples for the whole
municipality in five queries (the rule sets, the episodes with their case and group, their
follow-ups, exceptions and reports), whatever the number of episodes or days.

The steering computes it with the period's figures and keeps it in its shared cache
(`evaluation.limits.figures_for`); like the other steering figures it counts every case and
shows only shares (the view asks `policy.may_view_steering`)."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import Q

from trappen.cases.models import Case
from trappen.core.cadence import Schedule
from trappen.core.followup_history import Measure, on_time_on, shares
from trappen.core.followup_schedule import ExceptionSpan, HeldFollowUp, model_dates
from trappen.measures.models import Episode

from .models import CadenceRuleSet, FollowUp, FollowUpException, ProviderReport
from .schedule import HELD_FIELDS, Rules, held_from_values

EPISODE_FIELDS = (
    "id",
    "start_on",
    "end_on",
    "intervention__cadence_category",
    "case__closed_on",
    "case__status",
    "case__child__district__group__name",
)


def measures(first: date, last: date, rules: Rules) -> tuple[list[Schedule], list[Measure]]:
    """The episodes with a model rhythm active some day from `first` to `last` in a case not
    closed before it, with the model's schedules they index."""
    episodes = (
        Episode.objects.filter(start_on__lte=last)
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=first))
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=first))
        .exclude(intervention__cadence_category="none")
    )
    rows = list(episodes.order_by("pk").values_list(*EPISODE_FIELDS))
    ids = episodes.values("pk")  # a subquery: no list of ids, however many episodes
    held: dict[int, list[HeldFollowUp]] = defaultdict(list)
    for episode_id, *values in (
        FollowUp.objects.filter(episode_id__in=ids)
        .order_by("episode_id", "held_on", "pk")
        .values_list("episode_id", *HELD_FIELDS)
    ):
        held[episode_id].append(held_from_values(*values))
    exceptions: dict[int, list[ExceptionSpan]] = defaultdict(list)
    for episode_id, approved_on, withdrawn_on in FollowUpException.objects.filter(
        episode_id__in=ids
    ).values_list("episode_id", "approved_on", "withdrawn_on"):
        exceptions[episode_id].append(ExceptionSpan(approved_on, withdrawn_on))
    reports: dict[int, list[date]] = defaultdict(list)
    for episode_id, received_on in ProviderReport.objects.filter(episode_id__in=ids).values_list(
        "episode_id", "received_on"
    ):
        reports[episode_id].append(received_on)
    schedules: dict[Schedule, int] = {}
    out = []
    for pk, start, end, category, closed, status, group in rows:
        rule_set = rules.in_force(CadenceRuleSet.Kind.MODEL, start)
        schedule = rules.schedule(rule_set, category) if rule_set else None
        if schedule is None:
            continue
        if closed is None and status == Case.Status.CLOSED:
            closed = start  # closed on a day not recorded: never counted
        out.append(
            Measure(
                schedules.setdefault(schedule, len(schedules)),
                group or "unknown",
                start,
                end,
                closed,
                model_dates(held[pk], exceptions[pk]),
                tuple(reports[pk]) if schedule.reports_at else (),
            )
        )
    return list(schedules), out


def on_time_history(days: Sequence[date]) -> dict[date, dict[str, float | None]]:
    """Per day: group name ("" for the municipality) → the share of the model's follow-up
    points due by then that were held on time, as the due lists said at that day's end."""
    if not days:
        return {}
    rules = Rules.load()
    schedules, found = measures(min(days), max(days), rules)
    return shares(on_time_on(schedules, found, days))
