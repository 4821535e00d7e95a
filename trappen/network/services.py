"""Calling a network meeting, changing its invitation and writing its minutes."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.organisation.models import User

from .models import NetworkMeeting, Participant

INVITATION_FIELDS = (
    "kind",
    "concern",
    "concern_on",
    "purpose",
    "reason",
    "starts_at",
    "ends_at",
    "place",
    "chair",
    "procedure",
    "contact_name",
    "contact_phone",
    "signed_by",
)
# A new invitation proposes a working morning a week ahead (the model's aim: within a week).
DEFAULT_START = time(10, 0)


def default_start(now: datetime) -> datetime:
    """10:00 a week after `now` (local time), moved to Monday when that is a weekend day."""
    day = timezone.localtime(now).date() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, DEFAULT_START))


MINUTES_FIELDS = (
    "concerns",
    "works",
    "want_to_see",
    "agreements",
    "note_taker",
    "contact_person",
)


@dataclass(frozen=True)
class Person:
    role: str
    name: str
    user: User | None = None


def _check(data: dict[str, Any], people: list[Person]) -> None:
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationError(_("The meeting must end after it starts."))
    if data["concern_on"] > timezone.localdate(data["starts_at"]):
        raise ValidationError(_("The concern cannot arise after the meeting."))
    if not people:
        raise ValidationError(_("Name at least one participant."))


def _set_participants(meeting: NetworkMeeting, people: list[Person]) -> None:
    meeting.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(meeting=meeting, role=p.role, name=p.name, user=p.user, position=i)
        for i, p in enumerate(people)
    )


@transaction.atomic
def call(case: Case, *, by: User, people: Iterable[Person], **data: Any) -> NetworkMeeting:
    """Create the meeting from the invitation's fields and its participants."""
    people = list(people)
    _check(data, people)
    meeting = NetworkMeeting.objects.create(
        case=case, created_by=by, **{k: data[k] for k in INVITATION_FIELDS if k in data}
    )
    _set_participants(meeting, people)
    return meeting


@transaction.atomic
def change(meeting: NetworkMeeting, *, people: Iterable[Person], **data: Any) -> NetworkMeeting:
    people = list(people)
    _check(data, people)
    for key in INVITATION_FIELDS:
        if key in data:
            setattr(meeting, key, data[key])
    meeting.save()
    _set_participants(meeting, people)
    return meeting


@transaction.atomic  # the minutes and their audit entry, together or not at all
def write_minutes(meeting: NetworkMeeting, **data: Any) -> NetworkMeeting:
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes can be written once the meeting has started."))
    if not data.get("agreements", "").strip():
        raise ValidationError(_("The minutes need the agreements and solutions."))
    for key in MINUTES_FIELDS:
        setattr(meeting, key, data.get(key, ""))
    meeting.minutes_written_at = meeting.minutes_written_at or timezone.now()
    meeting.save()
    return meeting
