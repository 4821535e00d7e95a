"""The staffing calculator's figures from the database: per district team its open cases (from
the policy's aggregate queryset), the active measures by follow-up rhythm, its school districts
and caseworkers; `core.staffing` does the sums. Counts only, never a case."""

from datetime import date
from functools import cache
from typing import Any

from django.db.models import Count

from trappen.access import policy
from trappen.cases.caseload import caseloads
from trappen.common.periods import active_on_q
from trappen.core import ruledata
from trappen.core.staffing import Rhythm, TeamNeed, need, rhythm_from_data
from trappen.organisation.models import Team


@cache
def rhythm_data() -> dict[str, Any]:
    return ruledata.load("staffing.json")


def default_rhythm() -> Rhythm:
    return rhythm_from_data(rhythm_data())


def team_needs(user: Any, today: date, caseload_target: float, rhythm: Rhythm) -> list[TeamNeed]:
    if not policy.may_view_steering(user):
        return []
    cases = policy.aggregate_open_cases(user)
    open_by_team = dict(
        cases.values_list("team_id").annotate(n=Count("pk")).values_list("team_id", "n")
    )
    active = active_on_q(today, "episodes__")
    measures: dict[int, dict[str, int]] = {}
    rows = (
        cases.filter(active)
        .values_list("team_id", "episodes__intervention__cadence_category")
        .annotate(n=Count("episodes"))
    )
    for team_id, category, n in rows:
        measures.setdefault(team_id, {})[category] = n
    teams = Team.objects.annotate(n_districts=Count("districts")).order_by("name", "pk")
    return [
        need(
            team.name,
            open_cases=open_by_team.get(team.pk, 0),
            measures=measures.get(team.pk, {}),
            districts=team.n_districts,
            caseworkers_now=len(caseloads(team)),
            caseload_target=caseload_target,
            rhythm=rhythm,
        )
        for team in teams
    ]
