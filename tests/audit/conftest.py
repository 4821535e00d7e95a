"""A north case with everything a case page can show, built through the services."""

from datetime import timedelta
from types import SimpleNamespace

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


def reads(since: int = 0) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=since, action=AuditAction.READ))


def last_sequence() -> int:
    entry = AuditEntry.objects.order_by("-sequence").first()
    return entry.sequence if entry else 0
