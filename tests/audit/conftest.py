"""A north case with everything a case page can show, built through the services."""

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from trappen.audit.models import AuditAction, AuditEntry
from trappen.intake import services as intake
from trappen.investigations import services as investigations
from trappen.measures import services as measures
from trappen.plans import services as plans


@pytest.fixture
def world(org):
    case = org.case()
    today = timezone.localdate()
    inv = investigations.start(case, started_on=today, by=org.cw1)
    plans.revise(
        case,
        purpose="Tryg hverdag",
        goals=[{"goal": "Mål", "who": "Forældrene", "progress_sign": "Ses", "due_on": today}],
        by=org.cw1,
    )
    episode = measures.start(
        case,
        intervention=org.intervention(1),
        start_on=today,
        end_on=None,
        end_reason="",
        provider="",
        daily_cost=500,
        by=org.cw1,
    )
    notification = intake.register(
        cpr=case.child.cpr,
        first_name="",
        last_name="",
        district=None,
        received_at=timezone.now() - timedelta(hours=1),
        source="school",
        content="Bekymring",
        by=org.cw1,
    )
    return SimpleNamespace(
        org=org, case=case, inv=inv, episode=episode, notification=notification, **vars(org)
    )


@dataclass(frozen=True)
class Look:
    """One object a READ entry names (a page's one entry may name many)."""

    entry: AuditEntry
    object_type: str
    object_pk: str
    child_pk: int | None

    def __getattr__(self, name: str) -> Any:  # actor, url_name, path, … of the entry
        return getattr(self.entry, name)


def reads(since: int = 0) -> list[Look]:
    """Every object shown since entry `since`, in order, one Look per object."""
    entries = AuditEntry.objects.filter(pk__gt=since, action=AuditAction.READ).order_by("id")
    return [Look(e, t, p, c) for e in entries for t, p, c in e.shown()]


def last_sequence() -> int:
    """The id of the newest entry: what a test writes later has a higher one."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
