"""The quality panel of the steering page (F8 point 8): caseworker changes per case and the
complaints by kind and outcome, per team, for the period chosen. Counts only; the steering
page itself asks the policy (may_view_steering) before it renders."""

from typing import Any

from django import template

from trappen.access import policy
from trappen.cases.models import Complaint
from trappen.core.kpi import quality as kpi
from trappen.core.kpi.period import Period
from trappen.steering_data import quality as quality_data

register = template.Library()


def rows(figures: kpi.Quality) -> list[dict[str, Any]]:
    """A row per team, then the total: changes and complaints with their split."""
    kinds = [k for k, _label in Complaint.Kind.choices]
    outcomes = [o for o, _label in Complaint.Outcome.choices]
    rulings = [r for r, _label in Complaint.Ruling.choices]
    out = []
    for team in [*figures.teams, kpi.TOTAL]:
        changes = figures.changes.get(team)
        complaints = figures.complaints.get(team, kpi.ComplaintFigures(count=0))
        out.append(
            {
                "team": team,
                "is_total": team == kpi.TOTAL,
                "changes": changes,
                "complaints": complaints.count,
                "kinds": [complaints.by_kind.get(k, 0) for k in kinds],
                "outcomes": [complaints.by_outcome.get(o, 0) for o in outcomes],
                "open": complaints.by_outcome.get("", 0),
                "rulings": [complaints.by_ruling.get(r, 0) for r in rulings],
                "overturned_share": complaints.overturned_share,
            }
        )
    return out


@register.inclusion_tag("cases/panels/quality_steering.html", takes_context=True)
def quality_steering_panel(context: Any, period: Period) -> dict[str, Any]:
    if not policy.may_view_steering(context["user"]):
        return {"rows": None}
    figures = quality_data.figures(period)
    return {
        "rows": rows(figures),
        "period": period,
        "kinds": [label for _k, label in Complaint.Kind.choices],
        "outcomes": [label for _o, label in Complaint.Outcome.choices],
        "rulings": [label for _r, label in Complaint.Ruling.choices],
    }
