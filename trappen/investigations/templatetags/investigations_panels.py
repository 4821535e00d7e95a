"""The panel the investigations app adds to the case page: the steps and their clock."""

from typing import Any

from django import template
from django.utils import timezone

from trappen.cases.models import Case

register = template.Library()


@register.inclusion_tag("investigations/panels/case.html")
def investigations_case_panel(case: Case) -> dict[str, Any]:
    """The case came through the policy (the case page)."""
    today = timezone.localdate()
    steps = list(case.investigations.all())
    return {
        "steps": [(s, s.preliminary_due(today)) for s in steps],
    }
