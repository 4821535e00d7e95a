"""`{% targets_panel %}`: the programme's targets as traffic lights on a leader's or analyst's
home page (the slot `dashboards/_targets.html`), and `{% targets_board board %}` on the
steering. Aggregates only (counts and shares), never a case; the policy says who sees them."""

from typing import Any

from django import template
from django.utils import timezone

from trappen.access import policy
from trappen.evaluation import limits
from trappen.evaluation.figures import Query
from trappen.evaluation.targets import Board, board, fmt, home_periods
from trappen.followups.ontime import on_time

register = template.Library()


def home_board(user: Any) -> Board | None:
    """The last twelve months against the twelve before, per district group; follow-ups on
    time from today's due lists of the open cases the policy counts for `user`. None for a
    user who may not see the steering. `limits.Busy` when every evaluation slot is taken."""
    if not policy.may_view_steering(user):
        return None
    today = timezone.localdate()
    now, before = home_periods(today)
    figures = limits.figures_for(Query(now, before=before, group_by="group"))
    total, by_group = on_time(policy.aggregate_open_cases(user), today)
    assert figures.before is not None
    return board(
        figures.after, figures.before, followups_on_time=total, followups_by_group=by_group
    )


@register.inclusion_tag("evaluation/_targets.html", takes_context=True)
def targets_panel(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    try:
        shown = home_board(user)
    except limits.Busy:
        return {"busy": True, "allowed": True}
    return {"board": shown, "allowed": shown is not None, "home": True}


@register.inclusion_tag("evaluation/_targets.html")
def targets_board(shown: Board) -> dict[str, Any]:
    return {"board": shown, "allowed": True, "home": False}


@register.filter
def shown(reading: Any) -> str:
    return fmt(reading.target, reading.value)


@register.filter
def goal(target: Any) -> str:
    return fmt(target, target.green)
