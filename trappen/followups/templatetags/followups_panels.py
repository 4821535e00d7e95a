"""Panels the follow-ups app adds to the team view and my overview (its case-page panel:
casefile.py), and the labels of due states and kinds."""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.audit.log import note_reads
from trappen.core.cadence import Kind, State

from .. import duelist

register = template.Library()

STATE_LABELS = {
    State.MET: _("held on time"),
    State.LATE: _("held late"),
    State.OVERDUE: _("overdue"),
    State.UPCOMING: _("upcoming"),
}


KIND_LABELS = {
    Kind.FOLLOW_UP: _("follow-up"),
    Kind.STATUS: _("follow-up with status"),
    Kind.REPORT: _("status report from the provider"),
    Kind.VISIT: _("two supervision visits at the placement (§ 156, stk. 5)"),
}


@register.filter
def kind_label(kind: Kind) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def state_label(state: State) -> str:
    return str(STATE_LABELS.get(state, state))


@register.inclusion_tag("followups/panels/team.html", takes_context=True)
def followups_team_panel(context: Any, team: Any) -> dict[str, Any]:
    user = context["user"]
    if not policy.may(user, Action.ASSIGN, team):
        return {"show": False}
    # The team view's own reading when it has one (its overdue deadlines use it too).
    overview = context.get("team_due") or duelist.for_team(user, team, timezone.localdate())
    note_reads(r.case for r in overview.overdue)
    return {"show": True, "team": team, "overview": overview}


@register.inclusion_tag("followups/panels/mine.html", takes_context=True)
def followups_my_panel(context: Any) -> dict[str, Any]:
    # The home page's own reading when it has one (its "Næste frist" column uses it too).
    due = context.get("my_due") or duelist.for_caseworker(context["user"], timezone.localdate())
    note_reads(r.case for r in [*due.overdue, *due.soon][:25])  # the panel shows 25 rows
    return {"due": due}
