from typing import Any

from django import template

from trappen.access import policy
from trappen.cases.models import Case

register = template.Library()


@register.inclusion_tag("consent/banner.html")
def break_glass_banner(case: Case, user: Any) -> dict[str, Any]:
    """Shown on every page of a case opened by break-the-glass."""
    return {"grant": policy.active_break_glass(user, case)}
