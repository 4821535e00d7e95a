from typing import Any

from django import template

from trappen.access import policy
from trappen.cases.models import Case

register = template.Library()

_UNDECIDED = object()


@register.inclusion_tag("consent/banner.html")
def break_glass_banner(case: Case, user: Any) -> dict[str, Any]:
    """Shown on every page of a case opened by break-the-glass. A case from `policy.get_case`
    carries the grant its access was decided through (None when read by right)."""
    grant = getattr(case, "break_glass_grant", _UNDECIDED)
    if grant is _UNDECIDED:
        grant = policy.active_break_glass(user, case)
    return {"grant": grant}
