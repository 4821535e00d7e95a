"""The case page's panel for the interdisciplinary work: the network meetings and the buttons to
call one and to record an activity.

It also gives the case page's Timeline section (rendered after it, from the view's `timeline`)
all the work on the case: the case's own history joined with the network meetings and the
professions' activities (`work_events`), so the page keeps one timeline.
"""

from typing import Any

from django import template

from trappen.access import policy
from trappen.access.policy import Action, recordable_kinds

from ..models import MAX_CLARIFYING_TALKS, Activity
from ..timeline import work_events

register = template.Library()


@register.inclusion_tag("activities/work_panel.html", takes_context=True)
def work_panel(context: Any, case: Any) -> dict[str, Any]:
    user = context["user"]
    if "timeline" in context:
        context["timeline"] = work_events(case)
    return {
        "case": case,
        "meetings": case.network_meetings.all(),
        "may_call": policy.may(user, Action.EDIT, case),
        "may_record": bool(recordable_kinds(user, case)),
        "talks": case.activities.filter(kind=Activity.Kind.CLARIFYING_TALK).count(),
        "max_talks": MAX_CLARIFYING_TALKS,
    }
