"""The case page's panel for the interdisciplinary work: network meetings, activities and one
timeline of all the work on the case."""

from typing import Any

from django import template

from trappen.access import policy
from trappen.access.policy import Action

from ..access import recordable_kinds
from ..timeline import work_events

register = template.Library()


@register.inclusion_tag("activities/work_panel.html", takes_context=True)
def work_panel(context: Any, case: Any) -> dict[str, Any]:
    user = context["user"]
    return {
        "case": case,
        "meetings": case.network_meetings.all(),
        "may_call": policy.may(user, Action.EDIT, case),
        "may_record": bool(recordable_kinds(user, case)),
        "timeline": work_events(case),
    }
