from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.access.policy import quality as quality_policy
from trappen.audit.log import note_reads
from trappen.casefile import deadlines as case_deadlines
from trappen.cases import quality_rules
from trappen.cases.caseload import caseloads
from trappen.cases.listing import listed_cases
from trappen.cases.models import Case, Complaint, Transfer
from trappen.cases.overview import with_current_step
from trappen.common import sorting as sort
from trappen.core import caseload as caseload_rules
from trappen.core import quality as quality_core
from trappen.core.kpi.period import Period
from trappen.followups import duelist
from trappen.intake.models import with_urgent_flag
from trappen.steering_data import quality as quality_data


@login_required
def home(request: HttpRequest) -> HttpResponse:
    destination = policy.home_page(request.user)  # the policy says where each role starts
    if destination is not None:
        return redirect(destination)
    return render(request, "dashboards/no_cases.html")


def _unassessed(user, team_id: int | None):
    # Through the policy: a psychologist or school contact in the team sees no notifications.
    # Those offered to the user as the one on duty come first (F8 point 4), then by deadline.
    return (
        policy.visible_notifications(user)  # type: ignore[misc]  # team None: IS NULL
        .filter(child__district__team_id=team_id, assessed_at__isnull=True)
        .select_related("child__district", "case__caseworker", "offered_to")
        .annotate(mine=DbCase(When(offered_to=user, then=0), default=1))
        .order_by("mine", "assessment_deadline", "pk")
    )


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = (
        with_urgent_flag(
            case_deadlines.with_first_plan(with_current_step(policy.own_open_cases(user)))
        )
        .select_related("child", "caseworker")
        .order_by("child__last_name", "child__first_name")
    )
    cases = list(mine)
    # One truth (F10 point 5): the same open deadlines as the case page, follow-ups too.
    my_due = duelist.for_caseworker(user, timezone.localdate())  # type: ignore[arg-type]
    found = case_deadlines.open_deadlines(cases, [*my_due.overdue, *my_due.soon, *my_due.later])
    deadlines = {case.pk: found[case.pk][0] if found[case.pk] else None for case in cases}
    for case in cases:
        case.next_deadline = deadlines[case.pk]  # type: ignore[attr-defined]  # for the template

    def soonest(case: Case) -> tuple[bool, Any]:
        deadline = deadlines[case.pk]
        return (deadline is None, deadline and deadline.sort_key)

    cases.sort(key=soonest)
    cap = user.team.municipality.caseload_cap if user.team else 25  # type: ignore[union-attr]
    # The notifications sort by their columns (?sort_notes=, F10 point 3), the policy's rows.
    notes_sort = sort.chosen(request, NOTE_SORTS, "deadline", param="sort_notes")
    unassessed = list(
        sort.order(_unassessed(user, user.team_id), notes_sort, NOTE_SORTS)[:50]  # type: ignore[union-attr]
    )
    note_reads(cases)
    note_reads(unassessed)
    return render(
        request,
        "dashboards/my_home.html",
        {
            "cases": cases,
            "load": len(cases),
            "cap": cap,
            "load_pct": min(100, round(100 * len(cases) / cap)) if cap else 0,
            "unassessed": unassessed,
            "notes_sort": notes_sort,
            "now": timezone.now(),
            "my_due": my_due,
        },
    )


# The team page's sortable tables (F10 point 3): the assignment queue (?sort=) in SQL, the
# caseloads (?sort_loads=) in memory.
QUEUE_SORTS = {
    "received": ("received_at",),
    "child": ("child__last_name", "child__first_name"),
    "district": ("child__district__name",),
}
# The home page's notifications awaiting assessment: by deadline (the default) those offered
# to the user on duty come first (F8 point 4).
NOTE_SORTS = {
    "received": ("received_at",),
    "child": ("child__last_name", "child__first_name"),
    "district": ("child__district__name",),
    "deadline": ("mine", "assessment_deadline"),
}
LOAD_SORTS: dict[str, Callable[[tuple[Any, int, bool]], Any]] = {
    "caseworker": lambda row: (row[0].last_name, row[0].first_name, row[0].pk),
    "load": lambda row: row[1],
}


def _complaint_rows(figures: Any) -> dict[str, Any] | None:
    """The team's complaints of the year: the count, by kind and by outcome, with labels."""
    if figures is None:
        return None
    kinds = dict(Complaint.Kind.choices)
    outcomes = {"": _("Open"), **dict(Complaint.Outcome.choices)}
    rulings = dict(Complaint.Ruling.choices)
    return {
        "count": figures.count,
        "kinds": [(kinds.get(k, k), n) for k, n in figures.by_kind.items()],
        "outcomes": [(outcomes.get(k, k), n) for k, n in figures.by_outcome.items()],
        "rulings": [(rulings.get(k, k), n) for k, n in figures.by_ruling.items()],
        "overturned_share": figures.overturned_share,
    }


def _team_deadlines(user: Any, team: Any) -> tuple[Any, list[tuple[Case, list[Any]]]]:
    """The team's follow-up overview and its open cases with an overdue deadline (one truth,
    F10 point 5: the same function as the case page), the most overdue first."""
    team_due = duelist.for_team(user, team, timezone.localdate())
    # Read as tuples (cases.listing): a team's ~500 open cases, of which only the overdue show.
    # 'Akut' (F10 point 6 b) from an EXISTS in the same query, as on the other case lists.
    cases = listed_cases(
        with_urgent_flag(case_deadlines.with_first_plan(policy.team_open_cases(user, team))),
        "first_plan_at",
        "urgent",
    )
    found = case_deadlines.overdue(case_deadlines.open_deadlines(cases, team_due.overdue))
    late = [(case, found[case.pk]) for case in cases if case.pk in found]
    late.sort(key=lambda row: (row[1][0].sort_key, row[0].pk))
    return team_due, late[:100]


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = request.user
    team = user.team  # type: ignore[union-attr]
    if team is None:
        return render(request, "dashboards/no_cases.html")
    loads = caseloads(team)
    cap = team.municipality.caseload_cap
    queue = (
        policy.visible_notifications(user)
        .filter(child__district__team=team, case__isnull=True)
        .select_related("child__district")
    )
    queue_sort = sort.chosen(request, QUEUE_SORTS, "received")
    queue = sort.order(queue, queue_sort, QUEUE_SORTS)
    loads_sort = sort.chosen(request, LOAD_SORTS, "caseworker", param="sort_loads")
    load_rows = sort.sort_rows(
        [(w, n, caseload_rules.over_cap(n, cap)) for w, n in loads.items()], loads_sort, LOAD_SORTS
    )
    incoming = (
        policy.visible_of(user, Transfer)
        .filter(to_team=team, completed_at__isnull=True)
        .select_related("case__child", "from_team")
    )
    now = timezone.now()
    shown_queue = list(queue[:100])
    overdue = list(_unassessed(user, team.pk).filter(assessment_deadline__lt=now)[:100])
    shown_incoming = list(incoming)
    is_leader = policy.may(user, Action.ASSIGN, team)
    team_due, late = _team_deadlines(user, team) if is_leader else (None, [])
    note_reads([*shown_queue, *overdue, *(t.case for t in shown_incoming), *(c for c, _ in late)])
    return render(
        request,
        "dashboards/team.html",
        {
            "team": team,
            "is_leader": is_leader,
            "team_due": team_due,  # the follow-ups panel shows it (planned once)
            "late_deadlines": late,
            "loads": load_rows,
            "queue_sort": queue_sort,
            "loads_sort": loads_sort,
            "cap": cap,
            "suggested": caseload_rules.suggest(loads),
            "queue": shown_queue,
            "overdue": overdue,
            "incoming": shown_incoming,
            "total_open": sum(loads.values()),
            "average": quality_core.team_caseload(
                list(loads.values()), quality_rules.caseload_target()
            ),
            "may_see_quality": quality_policy.may_see_team_quality(user, team),
            "may_hand_over": quality_policy.may_hand_over(user, team),
        },
    )


@login_required
def team_quality(request: HttpRequest) -> HttpResponse:
    """The team's quality counts this year (caseworker changes, complaints by kind and outcome),
    loaded into the team page after it (htmx), so the page itself reads nothing more."""
    user = request.user
    team = user.team  # type: ignore[union-attr]
    if team is None or not quality_policy.may_see_team_quality(user, team):
        raise PermissionDenied
    today = timezone.localdate()
    quality = quality_data.figures(Period(today.replace(month=1, day=1), today), team)
    context = {
        "team": team,
        "team_changes": quality.changes.get(team.name),
        "team_complaints": _complaint_rows(quality.complaints.get(team.name)),
    }
    template = (
        "dashboards/_team_quality.html"
        if getattr(request, "htmx", False)
        else "dashboards/team_quality.html"
    )
    return render(request, template, context)
