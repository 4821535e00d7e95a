"""Links that only some roles may follow, decided by the policy (never by the template)."""

from typing import Any

from django import template

from trappen.access import policy
from trappen.cases.models import Child

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
def nav_links(user: Any) -> list[policy.NavLink]:
    """What the navigation bar offers this user (trappen.access.policy.navigation)."""
    return policy.links(user)
