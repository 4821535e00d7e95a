"""Panels the follow-ups app adds to shared pages (case page, team view, my overview)."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("followups/panels/case.html", takes_context=True)
def followups_case_panel(context: Any, case: Any) -> dict[str, Any]:
    return {"case": case, "user": context["user"]}


@register.inclusion_tag("followups/panels/team.html", takes_context=True)
def followups_team_panel(context: Any, team: Any) -> dict[str, Any]:
    return {"team": team, "user": context["user"]}


@register.inclusion_tag("followups/panels/mine.html", takes_context=True)
def followups_my_panel(context: Any) -> dict[str, Any]:
    return {"user": context["user"]}
