"""Calling a network meeting (on a case or before one), reserved slots, the minutes and who
received them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trappen.audit.log import record as audit_record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case
from trappen.core import network as rules
from trappen.core import ruledata
from trappen.notices.models import notify
from trappen.organisation.models import District, User

from .models import MinutesRecipient, NetworkMeeting, Participant, Slot

# Roles whose names identify the child: empty until the parents consent.
IDENTIFYING_ROLES = (Participant.Role.CHILD, Participant.Role.PARENT, Participant.Role.NETWORK)

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
    if "ends_at" not in data or "starts_at" not in data:
        raise ValidationError(_("Give the meeting's time or book a reserved slot."))
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


def _check_anonymous(meeting_or_none: NetworkMeeting | None, people: list[Person]) -> None:
    identifiable = meeting_or_none is not None and meeting_or_none.identifiable
    if not identifiable and any(p.name.strip() for p in people if p.role in IDENTIFYING_ROLES):
        raise ValidationError(
            _(
                "Until the parents' consent is recorded, the child, the parents and the "
                "family are listed by their role only, without names."
            )
        )


@transaction.atomic
def call(
    case: Case | None,
    *,
    by: User,
    people: Iterable[Person],
    district: District | None = None,
    slot: Slot | None = None,
    child_description: str = "",
    today: date | None = None,
    **data: Any,
) -> NetworkMeeting:
    """Create the meeting from the invitation's fields and its participants. On a case, or
    before any case (`case` None) in `district`, anonymous: "Det er den leder eller fagperson,
    der har bekymringen, der inviterer til møde". Booking a reserved `slot` takes its time
    and place; a released or booked slot cannot be booked."""
    people = list(people)
    if case is None:
        if district is None:
            raise ValidationError(_("Choose the school district of the meeting."))
        if not child_description.strip():
            raise ValidationError(
                _("Describe the child without a name (e.g. a girl in 3rd grade).")
            )
        _check_anonymous(None, people)
    else:
        district = case.child.district
    if slot is not None:
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        if slot.district_id != district.pk:
            raise ValidationError(_("The slot is reserved for another district."))
        if not rules.may_book(
            slot.day,
            slot.meeting_id is not None,
            today or timezone.localdate(),
            release_rule(slot.day),
        ):
            raise ValidationError(_("The slot is booked or released; choose another time."))
        data.update(starts_at=slot.starts_at, ends_at=slot.ends_at)
        data["place"] = data.get("place") or slot.place
    _check(data, people)
    meeting = NetworkMeeting.objects.create(
        case=case,
        district=district,
        child_description=child_description,
        created_by=by,
        **{k: data[k] for k in INVITATION_FIELDS if k in data},
    )
    _set_participants(meeting, people)
    if slot is not None:
        slot.meeting = meeting
        slot.save(update_fields=["meeting"])
    return meeting


@transaction.atomic
def change(meeting: NetworkMeeting, *, people: Iterable[Person], **data: Any) -> NetworkMeeting:
    people = list(people)
    _check_anonymous(meeting, people)
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


@transaction.atomic
def record_consent(meeting: NetworkMeeting, *, by: User, on: date, note: str) -> NetworkMeeting:
    """The parents' consent to the child being named: from now on names may be given and the
    meeting linked to a case. Who recorded it and when is kept (and audited)."""
    if not note.strip():
        raise ValidationError(_("Say how the parents consented (e.g. in writing, at the meeting)."))
    if on > timezone.localdate():
        raise ValidationError(_("The consent cannot be given in the future."))
    meeting.consent_on, meeting.consent_recorded_by, meeting.consent_note = on, by, note
    meeting.save(update_fields=["consent_on", "consent_recorded_by", "consent_note"])
    audit_record(AuditAction.UPDATE, meeting, user=by, detail={"fields": ["consent_on"]})
    return meeting


@transaction.atomic
def link_case(meeting: NetworkMeeting, case: Case, *, by: User) -> NetworkMeeting:
    """Put a meeting called before a case on the child's case: only after consent."""
    if meeting.consent_on is None:
        raise ValidationError(_("The parents' consent must be recorded before the child is named."))
    if meeting.case_id is not None:
        raise ValidationError(_("The meeting is already on a case."))
    meeting.case = case
    meeting.save(update_fields=["case"])
    audit_record(AuditAction.UPDATE, meeting, user=by, detail={"fields": ["case"]})
    return meeting


@transaction.atomic
def send_minutes(meeting: NetworkMeeting, *, by: User) -> list[MinutesRecipient]:
    """Send the decision minutes to everyone invited ("At udfærdige og sende et
    beslutningsreferat til alle inviterede efter mødet") and record each recipient with the
    time. Staff with an account get a notice naming no child; the others are recorded as sent
    by the sender (letter or secure mail outside trappen). Invited people who already received
    the minutes are not sent them again."""
    if not meeting.has_minutes:
        raise ValidationError(_("Write the minutes before sending them."))
    now = timezone.now()
    done = set(meeting.minutes_recipients.values_list("participant_id", flat=True))
    sent = []
    for p in meeting.ordered_participants():
        if p.pk in done:
            continue
        sent.append(
            MinutesRecipient(
                meeting=meeting,
                participant=p,
                name=p.name or p.get_role_display(),
                role=p.role,
                user=p.user,
                sent_at=now,
                sent_by=by,
            )
        )
    MinutesRecipient.objects.bulk_create(sent)
    text = _("The minutes of the network meeting on %(day)s have been sent to you.") % {
        "day": date_format(meeting.meeting_on, "SHORT_DATE_FORMAT")
    }
    for r in sent:
        if r.user is not None:
            notify(r.user, text)
    audit_record(AuditAction.UPDATE, meeting, user=by, detail={"minutes_sent_to": len(sent)})
    return sent


# ---- reserved slots -----------------------------------------------------------------------------


@cache
def _slot_rules() -> tuple[dict[str, Any], ...]:
    data = ruledata.load("slots.json")
    return tuple({**r, "source": data["source"]} for r in data["rules"])


def release_rule(on: date) -> rules.ReleaseRule:
    """The release rule in force on `on` (`core/data/slots.json`, with its source)."""
    for r in _slot_rules():
        start = date.fromisoformat(r["valid_from"])
        end = date.fromisoformat(r["valid_to"]) if r["valid_to"] else None
        if start <= on and (end is None or on <= end):
            return rules.ReleaseRule(int(r["release_days"]))
    raise LookupError(f"no network-slot release rule in force on {on}")


def rule_source(on: date) -> str:
    for r in _slot_rules():
        if date.fromisoformat(r["valid_from"]) <= on:
            return f"{r['source']}: »{r['words']}«"
    return ""


def reserve(
    district: District,
    *,
    holder: User,
    first: date,
    until: date,
    at: time = time(13, 0),
    minutes: int = 90,
    every_days: int = 7,
    place: str = "",
) -> list[Slot]:
    """Reserve a recurring time for network meetings in `holder`'s calendar for `district`."""
    taken = {timezone.localtime(s).date() for s in Slot.objects.filter(
        district=district, holder=holder).values_list("starts_at", flat=True)}  # fmt: skip
    slots = []
    for day in rules.weekly_days(first, until, every_days):
        if day in taken:
            continue
        start = timezone.make_aware(datetime.combine(day, at))
        slots.append(
            Slot(
                district=district,
                holder=holder,
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                place=place,
            )
        )
    return Slot.objects.bulk_create(slots)


def state(slot: Slot, today: date | None = None) -> rules.SlotState:
    return rules.slot_state(
        slot.day, slot.meeting_id is not None, today or timezone.localdate(), release_rule(slot.day)
    )


@dataclass(frozen=True)
class ShownSlot:
    slot: Slot
    state: rules.SlotState
    release_on: date


def calendar(slots: QuerySet[Slot], today: date | None = None) -> list[ShownSlot]:
    today = today or timezone.localdate()
    return [
        ShownSlot(s, state(s, today), release_rule(s.day).release_on(s.day))
        for s in slots.select_related("district", "holder", "meeting")
    ]
