"""The panel the measures app adds to the team view (its case-page panel: casefile.py)."""

from datetime import date
from typing import Any

from django import template
from django.db.models import Q, QuerySet
from django.utils import timezone

from trappen.access import policy
from trappen.access.policy import Action
from trappen.audit.log import note_reads
from trappen.cases.models import Case
from trappen.common.periods import active_on_q

from ..models import INSTITUTION_TYPES, Episode, VisitationRequest

register = template.Library()


def _active(episodes: QuerySet[Episode], day: date) -> QuerySet[Episode]:
    return episodes.filter(active_on_q(day))


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
