"""Links that only some roles may follow, decided by the policy (never by the template)."""

from typing import Any

from django import template

from trappen.access import policy
from trappen.cases.models import Child
from trappen.meetings import access as meeting_access

register = template.Library()


@register.inclusion_tag("access/child_privacy_links.html")
def child_privacy_links(child: Child, user: Any) -> dict[str, Any]:
    """ "Who has seen this child's case?" and the access report, for those who may ask."""
    return {
        "child": child,
        "may_view_audit": policy.may_view_audit(user, child),
        "may_get_access_report": policy.may_get_access_report(user, child),
    }


@register.simple_tag
def nav_permissions(user: Any) -> dict[str, bool]:
    """What the navigation bar offers this user."""
    return {
        "meetings": meeting_access.is_team_member(user, getattr(user, "team_id", None)),
        "submit": meeting_access.may_submit(user),
        "concern": policy.may_submit_concern(user),
        "access_report": policy.may_look_up_access_report(user),
        "break_glass": policy.may_list_break_glass(user),
    }
