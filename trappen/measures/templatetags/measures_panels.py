"""Panels the measures app adds to shared pages (case page, team view)."""

from datetime import date
from typing import Any

from django import template
from django.db.models import Q, QuerySet
from django.utils import timezone

from trappen.access import policy
from trappen.access.policy import Action
from trappen.audit.log import note_reads
from trappen.cases.models import Case

from ..forms import ExitPlanForm
from ..models import INSTITUTION_TYPES, Episode, VisitationRequest

register = template.Library()


def _active(episodes: QuerySet[Episode], day: date) -> QuerySet[Episode]:
    return episodes.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gt=day))


@register.inclusion_tag("measures/panels/case.html", takes_context=True)
def measures_case_panel(context: Any, case: Case) -> dict[str, Any]:
    user = context["user"]
    today = timezone.localdate()
    episodes = list(
        case.episodes.select_related("intervention", "legal_basis", "visitation__decided_by")
    )
    active = _active(case.episodes.all(), today)
    institutions = list(
        active.filter(intervention__placement_type__in=INSTITUTION_TYPES).select_related(
            "intervention"
        )
    )
    # The case came through the policy (the case page); its child's movements with it.
    movements = list(case.child.movements.select_related("recorded_by")[:50])
    requests = list(
        case.visitation_requests.exclude(status=VisitationRequest.Status.APPROVED).select_related(
            "intervention", "requested_by", "decided_by"
        )
    )
    return {
        "case": case,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "may_edit": policy.may(user, Action.EDIT, case),
        "may_decide": policy.may(user, Action.DECIDE_VISITATION, case),
        "episodes": episodes,
        "missing_exit_plans": [
            (e, ExitPlanForm(auto_id=f"id_exit{e.pk}_%s"))
            for e in institutions
            if e.lacks_exit_plan
        ],
        "movements": movements,
        "requests": requests,
    }


@register.inclusion_tag("measures/panels/team.html", takes_context=True)
def measures_team_panel(context: Any, team: Any) -> dict[str, Any]:
    user = context["user"]
    today = timezone.localdate()
    open_cases = Q(case__team=team) & ~Q(case__status=Case.Status.CLOSED)
    # Through the policy: a psychologist sees only shared cases, a former member none.
    pending = list(
        policy.visible_of(user, VisitationRequest)
        .filter(open_cases, status=VisitationRequest.Status.PENDING)
        .select_related("case__child", "case__team", "intervention", "requested_by")
        .order_by("requested_at")
    )
    missing = list(
        _active(policy.visible_of(user, Episode).filter(open_cases), today)
        .filter(intervention__placement_type__in=INSTITUTION_TYPES)
        .filter(Q(planned_discharge_on__isnull=True) | Q(intended_next_step__isnull=True))
        .select_related("case__child", "case__caseworker", "intervention")
        .order_by("start_on")
    )
    note_reads([*(r.case for r in pending), *(e.case for e in missing)])
    return {
        "team": team,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "pending": [(r, policy.may(user, Action.DECIDE_VISITATION, r.case)) for r in pending],
        "missing_exit_plans": missing,
        "is_leader": policy.may(user, Action.ASSIGN, team),  # the team's leader
    }
