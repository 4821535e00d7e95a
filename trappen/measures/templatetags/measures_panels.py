"""Panels the measures app adds to shared pages (case page, team view)."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("measures/panels/case.html", takes_context=True)
def measures_case_panel(context: Any, case: Any) -> dict[str, Any]:
    return {"case": case, "user": context["user"]}


@register.inclusion_tag("measures/panels/team.html", takes_context=True)
def measures_team_panel(context: Any, team: Any) -> dict[str, Any]:
    return {"team": team, "user": context["user"]}
