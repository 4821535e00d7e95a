"""Open cases per caseworker, and who has room for one more."""

from django.db.models import Count, Q

from trappen.core import caseload as rules
from trappen.organisation.models import Team, User


def caseloads(team: Team) -> dict[User, int]:
    """Open cases of every active caseworker of the team, ordered by name."""
    workers = (
        team.caseworkers()
        .annotate(load=Count("cases", filter=~Q(cases__status="closed")))
        .order_by("first_name", "last_name", "pk")
    )
    return {w: w.load for w in workers}


def suggested_caseworker(team: Team) -> User | None:
    return rules.suggest(caseloads(team))


def open_caseload(user: User) -> int:
    return user.cases.exclude(status="closed").count()
