"""The interdisciplinary work on the case page: the panel with the network meetings and the
buttons to call one and to record an activity, and the professions' activities on the
timeline."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action, recordable_kinds
from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import Panel, TimelineEvent, day_end
from trappen.cases.models import Case

from .models import MAX_CLARIFYING_TALKS, Activity


@registry.timeline(order=100)
def events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for a in loaded.activities:
        yield TimelineEvent(
            day_end(a.held_on),
            _("Activity"),
            str(a),
            a.note,
            actor=str(a.recorded_by),
            all_day=True,
        )


@registry.panel(order=50)
def panel(case: Case, user: Any, loaded: Loaded) -> Panel:
    return Panel(
        "activities/work_panel.html",
        {
            "case": case,
            "meetings": loaded.network_meetings,
            "may_call": policy.may(user, Action.EDIT, case),
            "may_record": bool(recordable_kinds(user, case)),
            "talks": sum(a.kind == Activity.Kind.CLARIFYING_TALK for a in loaded.activities),
            "max_talks": MAX_CLARIFYING_TALKS,
        },
    )
