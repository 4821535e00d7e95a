"""A token for a system account of the test municipality, and a client that sends it."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from trappen.api.models import ApiToken, Scope
from trappen.audit.models import AuditAction, AuditEntry
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode

ALL_READS = [Scope.READ_CASES, Scope.READ_CPR, Scope.READ_STEERING]


class Api:
    """Calls the API as a system would: a bearer token, no session, JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client(HTTP_HOST="localhost")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/{path}", params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1/{path}", body, content_type="application/json", headers=self.headers
        )


def token_for(user: Any, *scopes: str, **kwargs: Any) -> str:
    return ApiToken.issue(user, f"system {user.username}", list(scopes), **kwargs)[1]


@pytest.fixture
def api_for():
    def make(user: Any, *scopes: str, **kwargs: Any) -> Api:
        return Api(token_for(user, *scopes, **kwargs))

    return make


def episode_on(org: Any, case: Any, days_ago: int = 70) -> Episode:
    return Episode.objects.create(
        child=case.child,
        case=case,
        intervention=org.intervention(4, "foster_ordinary"),
        start_on=timezone.localdate() - timedelta(days=days_ago),
        daily_cost=Decimal("1450.50"),
        created_by=case.caseworker,
    )


def followup_on(episode: Episode, days_ago: int = 10) -> FollowUp:
    return FollowUp.objects.create(
        episode=episode,
        case=episode.case,
        held_on=timezone.localdate() - timedelta(days=days_ago),
        form=FollowUp.Form.MEETING,
        child_conversation=True,
        plan_review=FollowUp.PlanReview.KEPT,
        note="Barnet trives",
        recorded_by=episode.case.caseworker,
    )


@pytest.fixture
def world(org):
    """A north case (cw1's) with an episode and a follow-up, and a south case."""
    north = org.case(org.child("0101151234", org.d_north), org.cw1)
    south = org.case(org.child("0303171238", org.d_south), org.cw_south)
    north_episode = episode_on(org, north)
    south_episode = episode_on(org, south)
    return {
        "north": north,
        "south": south,
        "north_episode": north_episode,
        "south_episode": south_episode,
        "north_followup": followup_on(north_episode),
        "south_followup": followup_on(south_episode),
    }


def last_pk() -> int:
    entry = AuditEntry.objects.order_by("-pk").first()
    return entry.pk if entry else 0


def entries_since(pk: int, action: str | None = None) -> list[AuditEntry]:
    rows = AuditEntry.objects.filter(pk__gt=pk).order_by("pk")
    if action is not None:
        rows = rows.filter(action=action)
    return list(rows)


def shown(entry: AuditEntry) -> set[tuple[str, str]]:
    """The objects a READ entry names, whether it names one or many."""
    if entry.objects_shown:
        return {(t, p) for t, p, _c in entry.objects_shown}
    return {(entry.object_type, entry.object_pk)}


__all__ = ["ALL_READS", "AuditAction", "entries_since", "last_pk", "shown", "token_for"]
