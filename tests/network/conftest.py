from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from trappen.network import services
from trappen.network.models import NetworkMeeting, Participant

Role = Participant.Role


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def meeting(
    case, *, by, concern_on: date, meeting_on: date, people=None, **extra
) -> NetworkMeeting:
    fields: dict[str, Any] = {
        "kind": NetworkMeeting.Kind.INCLUSIVE,
        "concern": "Barnet kommer ofte for sent og er træt",
        "concern_on": concern_on,
        "purpose": "At samle de voksne, der kender Testa",
        "reason": "Skolen er bekymret for fraværet",
        "starts_at": at(meeting_on),
        "ends_at": at(meeting_on, 11),
        "place": "Nordby Skole, mødelokale 2",
        "chair": "Kirsten Skoleleder",
        "procedure": "Velkomst, præsentationsrunde, bekymringer og aftaler",
        "contact_name": "Kirsten Skoleleder",
        "contact_phone": "97 12 34 56",
        "signed_by": "Kirsten Skoleleder, skoleleder",
    }
    fields.update(extra)
    return services.call(
        case, by=by, people=people or [services.Person(Role.CHILD, "Testa")], **fields
    )


@pytest.fixture
def case(org):
    return org.case()


@pytest.fixture
def today():
    return timezone.localdate()


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
