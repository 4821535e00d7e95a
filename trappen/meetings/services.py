"""Planning, agendas, submissions, minutes and agreements: the writes of the meetings app."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import meetings as meetings_policy
from trappen.audit.log import record as audit_record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case
from trappen.core import meetings as rules
from trappen.drafts import services as drafts
from trappen.drafts.models import Draft
from trappen.notices.models import notify
from trappen.organisation.models import Profession, Team, User

from .models import (
    AgendaItem,
    Agreement,
    Meeting,
    MinutesRecipient,
    Participant,
    School,
    Series,
    Submission,
)

ROLE_OF_PROFESSION = {
    Profession.CASEWORKER: Participant.Role.CASEWORKER,
    Profession.TEAM_LEADER: Participant.Role.TEAM_LEADER,
    Profession.PSYCHOLOGIST: Participant.Role.PSYCHOLOGIST,
    Profession.HEALTH_VISITOR: Participant.Role.HEALTH_VISITOR,
    Profession.SCHOOL: Participant.Role.SCHOOL,
}
# Who sits on a district team's internal meeting.
INTERNAL_PROFESSIONS = (
    Profession.CASEWORKER,
    Profession.TEAM_LEADER,
    Profession.PSYCHOLOGIST,
    Profession.HEALTH_VISITOR,
)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# ---- series and meetings ------------------------------------------------------------------------


def create_internal_series(
    team: Team, *, place: str = "", coordinator: User | None = None
) -> Series:
    series = Series.objects.create(
        kind=Series.Kind.INTERNAL,
        team=team,
        place=place,
        duration_minutes=rules.INTERNAL_MINUTES,
        every_days=rules.INTERNAL_EVERY_DAYS,
        coordinator=coordinator or team.leaders().first(),
    )
    series.members.set(team.members.filter(is_active=True, profession__in=INTERNAL_PROFESSIONS))
    return series


def create_resource_centre_series(
    school: School, *, place: str = "", coordinator: User | None = None
) -> Series:
    team = school.district.team
    series = Series.objects.create(
        kind=Series.Kind.RESOURCE_CENTRE,
        team=team,
        school=school,
        place=place or school.name,
        duration_minutes=rules.RESOURCE_CENTRE_MINUTES,
        coordinator=team.leaders().first(),
    )
    if coordinator is not None:
        set_coordinator(series, coordinator)  # the school's coordinator (Herningmodellen 1.0)
    return series


def _participant(meeting: Meeting, user: User, fixed: bool = True) -> Participant:
    role = ROLE_OF_PROFESSION.get(user.profession, Participant.Role.OTHER)  # type: ignore[call-overload]
    return Participant(meeting=meeting, user=user, role=role, fixed=fixed)


def plan(series: Series, first: date, until: date, at: time = time(9, 0)) -> list[Meeting]:
    """Plan the series' meetings from `first` to `until`: every `every_days` days for internal
    meetings, monthly (same weekday of the month) for resource-centre meetings. The chair
    rotates through the members, continuing after the last planned meeting's chair."""
    days = rules.series_days(
        first, until, every_days=series.every_days, monthly=not series.is_internal
    )
    taken = set(timezone.localdate(s) for s in series.meetings.values_list("starts_at", flat=True))
    rotation = series.rotation()
    last = series.meetings.order_by("-starts_at").first()
    chair = last.chair if last else None
    fixed = rotation if series.is_internal else list(series.school.fixed_participants.all())  # type: ignore[union-attr]
    meetings = []
    with transaction.atomic():
        for day in days:
            if day in taken:
                continue
            chair = rules.next_chair(rotation, chair)
            start = _aware(day, at)
            meeting = Meeting.objects.create(
                series=series,
                starts_at=start,
                ends_at=start + timedelta(minutes=series.duration_minutes),
                place=series.place,
                chair=chair,
            )
            Participant.objects.bulk_create([_participant(meeting, u) for u in fixed])
            meetings.append(meeting)
    return meetings


def add_participant(
    meeting: Meeting, *, user: User | None = None, name: str = "", role: str = ""
) -> Participant:
    if user is not None:
        if meeting.participants.filter(user=user).exists():
            raise ValidationError(_("%(name)s already takes part.") % {"name": user})
        participant = _participant(meeting, user, fixed=False)
        participant.role = role or participant.role
    else:
        if not name or not role:
            raise ValidationError(_("Give a name and a role."))
        participant = Participant(meeting=meeting, name=name, role=role, fixed=False)
    participant.save()
    return participant


def team_meetings(team: Team) -> QuerySet[Meeting]:
    return Meeting.objects.filter(series__team=team).select_related(
        "series__school", "series__team", "chair"
    )


# ---- agenda -------------------------------------------------------------------------------------


def table(meeting: Meeting) -> list[Any]:
    """Everyone at the meeting: the staff member's account, or None for an outside guest (whose
    typed role nobody has checked)."""
    return [p.user if p.user_id else None for p in meeting.participants.select_related("user")]


def may_name(item: AgendaItem, viewer: Any = None) -> bool:
    """Is the item's child named? Only when every person at the table (and the viewer) is
    covered, on the meeting's date (`policy.may_name_child`): the case's own caseworkers and
    team leader by their real membership, everyone else by a consent to named discussion. A
    guest without an account is covered by none. Otherwise the item stays anonymous."""
    if item.case is None:
        return False
    if item.needs_parents_informed and not item.parents_informed:
        return False  # "fremlægges beskrivelsen for forældrene" first (Herningmodellen 1.0)
    people = table(item.meeting) + ([viewer] if viewer is not None else [])
    return policy.may_name_child(item.case, people, item.meeting.day)


@dataclass
class ShownItem:
    item: AgendaItem
    named: bool
    child_name: str
    case_link: bool
    # The description: hidden from the school side on an item about a case it may not name.
    show_description: bool = True


def agenda(meeting: Meeting, viewer: Any = None) -> list[ShownItem]:
    """The agenda in order, each item with its child named only where consent covers it."""
    items = sorted(
        meeting.items.select_related("case__child", "meeting", "submission"),
        key=AgendaItem.sort_key,
    )
    shown = []
    for item in items:
        named = may_name(item, viewer)
        link = named and viewer is not None and policy.may(viewer, policy.Action.VIEW, item.case)
        name = item.case.child.full_name if named and item.case else ""
        described = not (
            viewer is not None
            and item.case is not None
            and not named
            and meetings_policy.is_school_side(viewer, meeting)
        )
        shown.append(ShownItem(item, named, str(name), bool(link), described))
    return shown


def add_item(
    meeting: Meeting,
    *,
    kind: str,
    title: str,
    description: str = "",
    case: Case | None = None,
    professions: Sequence[str] = (),
) -> AgendaItem:
    if case is not None and case.team_id != meeting.series.team_id:
        raise ValidationError(_("The case belongs to another team."))
    if kind == AgendaItem.Kind.SPARRING and case is not None:
        raise ValidationError(_("Anonymous sparring names no case."))
    return AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        title=title,
        description=description,
        case=case,
        professions=list(professions),
    )


def reorder(meeting: Meeting, order: Iterable[int]) -> None:
    """The coordinator's order: item pks first to last; items left out keep the priority rule
    after them."""
    items = {i.pk: i for i in meeting.items.all()}
    wanted = [pk for pk in order if pk in items]
    if len(set(wanted)) != len(wanted):
        raise ValidationError(_("Each item may appear only once."))
    with transaction.atomic():
        for item in items.values():
            item.manual_position = None
        for position, pk in enumerate(wanted):
            items[pk].manual_position = position
        AgendaItem.objects.bulk_update(items.values(), ["manual_position"])


def move(meeting: Meeting, item_pk: int, up: bool) -> None:
    """Move one item a place up or down in the agenda as it stands (the priority rule, or the
    coordinator's order so far); the whole order is then the coordinator's."""
    order = [shown.item.pk for shown in agenda(meeting)]
    if item_pk not in order:
        raise ValidationError(_("The item is not on this agenda."))
    at = order.index(item_pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
    reorder(meeting, order)


def set_coordinator(series: Series, user: User) -> None:
    """Name the series' coordinator: for a resource-centre series the school's own coordinator
    (a contact of the school) or a member of the team; the team's member for an internal one."""
    if not meetings_policy.may_be_coordinator(user, series):
        raise ValidationError(
            _("The coordinator is a contact of the school or a member of the team.")
        )
    series.coordinator = user
    series.save(update_fields=["coordinator"])


def record_parents_informed(
    item: AgendaItem, *, on: date, by: User, remarks: str = ""
) -> AgendaItem:
    """The parents' information step of a resource-centre item about a child: the description
    shown to the parents with the chance to remark and the expected date of the meeting
    (Herningmodellen 1.0). Recorded with the day and who did it; the change is audited."""
    if not item.needs_parents_informed:
        raise ValidationError(
            _("Only a resource-centre item about a child needs the parents informed.")
        )
    if on > timezone.localdate():
        raise ValidationError(_("The day the parents were informed cannot be in the future."))
    item.parents_informed_on, item.parents_informed_by = on, by
    item.parents_remarks = remarks
    item.save(update_fields=["parents_informed_on", "parents_informed_by", "parents_remarks"])
    return item


def record_parents_called(item: AgendaItem, *, on: date, by: User, note: str = "") -> AgendaItem:
    """The second parents' step of a resource-centre item about a child: the teacher who asked for
    the presentation calls the parents on the day of the meeting to tell them the recommendations,
    dates and any measures for their approval (Herningmodellen 1.0: "De lærere, som har bedt om
    fremlæggelse på ressourcecentermødet, kontakter forældrene på dagen for mødets afholdelse").
    Recorded with the day and who called; not before the meeting (there is nothing to tell yet), not
    in the future. A later day is kept and shown as later than the seed's day. The change is audited
    (AgendaItem is case data)."""
    if not item.needs_parents_informed:
        raise ValidationError(_("Only a resource-centre item about a child has this step."))
    if on < item.meeting.day:
        raise ValidationError(_("The parents are called after the meeting, on its day."))
    if on > timezone.localdate():
        raise ValidationError(_("The day the parents were called cannot be in the future."))
    item.parents_called_on, item.parents_called_by = on, by
    item.parents_call_note = note
    item.save(update_fields=["parents_called_on", "parents_called_by", "parents_call_note"])
    return item


def reset_order(meeting: Meeting) -> None:
    meeting.items.update(manual_position=None)


# ---- submissions --------------------------------------------------------------------------------


@dataclass
class Submitted:
    submission: Submission
    message: str  # non-empty when the submission was too late for the next meeting


def upcoming_meetings(school: School, on: date) -> list[Meeting]:
    start = _aware(on, time.min)
    return list(
        Meeting.objects.filter(
            series__school=school, series__kind=Series.Kind.RESOURCE_CENTRE, starts_at__gte=start
        ).order_by("starts_at")
    )


def submit(
    school: School,
    *,
    by: User,
    kind: str,
    title: str,
    description: str,
    parents_shown: bool,
    on: date | None = None,
) -> Submitted:
    """File a description for the school's next resource-centre meeting it is in time for (at
    least 14 days before); a later one goes to the following meeting, and the message says so."""
    on = on or timezone.localdate()
    if kind == Submission.Kind.CHILD and not parents_shown:
        raise ValidationError(
            _("A description about a child must be shown to the parents before it is submitted.")
        )
    meetings = upcoming_meetings(school, on)
    placement = rules.place_submission(on, [m.day for m in meetings])
    if placement.meeting is None:
        raise ValidationError(
            _("No resource-centre meeting of %(school)s is planned far enough ahead. "
              "Ask the coordinator to plan the next meetings.") % {"school": school}
        )  # fmt: skip
    target = meetings[placement.meeting]
    missed = meetings[placement.missed] if placement.missed is not None else None
    with transaction.atomic():
        submission = Submission.objects.create(
            school=school,
            submitted_by=by,
            submitted_on=on,
            kind=kind,
            title=title,
            description=description,
            parents_shown=parents_shown,
            meeting=target,
            moved_from=missed,
        )
        # A child's description was shown to the parents before it was submitted (checked
        # above): the parents' information step, by the teacher who submitted it.
        informed = kind == Submission.Kind.CHILD
        AgendaItem.objects.create(
            meeting=target,
            kind=kind,
            title=title,
            description=description,
            submission=submission,
            parents_informed_on=on if informed else None,
            parents_informed_by=by if informed else None,
        )
    _tell_coordinator(submission)
    message = ""
    if missed is not None:
        message = _(
            "Submitted less than %(days)s days before the meeting on %(missed)s (deadline "
            "%(deadline)s), so it is on the agenda of the following meeting on %(target)s."
        ) % {
            "days": rules.SUBMISSION_DAYS,
            "missed": date_format(missed.day, "SHORT_DATE_FORMAT"),
            "deadline": date_format(missed.deadline(), "SHORT_DATE_FORMAT"),
            "target": date_format(target.day, "SHORT_DATE_FORMAT"),
        }
    return Submitted(submission, message)


def _tell_coordinator(submission: Submission) -> None:
    """The coordinator receives the descriptions ("Det er koordinatoren, der modtager
    beskrivelserne, med deadline 14 dage før mødet", Herningmodellen 1.0): a notice naming the
    school and the meeting, never the child or the description."""
    coordinator = submission.meeting.series.coordinator
    if coordinator is None or not coordinator.is_active:
        return
    notify(
        coordinator,
        _("A new description for the resource-centre meeting of %(school)s on %(day)s.")
        % {
            "school": submission.school,
            "day": date_format(submission.meeting.day, "SHORT_DATE_FORMAT"),
        },
    )


# ---- minutes and agreements ---------------------------------------------------------------------


def agreements_for(meeting: Meeting) -> QuerySet[Agreement]:
    """The agreements to follow up at `meeting`: those made at it, and those made at an
    earlier meeting of the series and not closed before it."""
    earlier = Q(made_at__starts_at__lt=meeting.starts_at) & (
        Q(closed_at__isnull=True) | Q(closed_at__starts_at__gte=meeting.starts_at)
    )
    return (
        Agreement.objects.filter(series=meeting.series)
        .filter(Q(made_at=meeting) | earlier)
        .select_related("made_at", "closed_at")
        .order_by("due_on", "pk")
    )


def add_agreement(meeting: Meeting, *, who: str, what: str, due_on: date) -> Agreement:
    return Agreement.objects.create(
        series=meeting.series, made_at=meeting, who=who, what=what, due_on=due_on
    )


def close_agreement(agreement: Agreement, *, at: Meeting, on: date | None = None) -> None:
    if agreement.closed_on is not None:
        return
    if at.series_id != agreement.series_id or at.starts_at < agreement.made_at.starts_at:
        raise ValidationError(_("Close the agreement at a later meeting of the same series."))
    agreement.closed_at = at
    agreement.closed_on = on or timezone.localdate()
    agreement.save(update_fields=["closed_at", "closed_on"])


def record_minutes(meeting: Meeting, *, minutes: str, decisions: dict[int, str], by: User) -> None:
    """Save the minutes and the decision per item, each with its author. Only the chair, the
    team leader and the text's own author change a text (`policy.may_write_minutes`,
    `policy.may_write_decision`); an unchanged text keeps its author. The first time an
    internal meeting's minutes are saved, every staff participant gets a reminder of their own
    journal entry."""
    now = timezone.now()
    first_time = meeting.held_at is None
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
        if minutes != locked.minutes:
            if not policy.may_write_minutes(by, locked):
                raise PermissionDenied
            locked.minutes, locked.minutes_by, locked.minutes_at = minutes, by, now
            # The minutes are not case data (no child is named in them), but a change is
            # written to the audit log with its author, like every write (names no text).
            audit_record(AuditAction.UPDATE, locked, user=by, detail={"fields": ["minutes"]})
        locked.held_at = locked.held_at or now
        locked.save(update_fields=["minutes", "minutes_by", "minutes_at", "held_at"])
        for item in locked.items.filter(pk__in=decisions).select_related("meeting__series"):
            if decisions[item.pk] == item.decision:
                continue
            if not policy.may_write_decision(by, item):
                raise PermissionDenied
            item.decision, item.decision_by, item.decision_at = decisions[item.pk], by, now
            # One save per item: the audit log records each change (an item can name a case).
            item.save(update_fields=["decision", "decision_by", "decision_at"])
        if first_time and locked.series.is_internal:
            remind_journal(locked)
        drafts.clear(by, Draft.Kind.MINUTES, meeting=locked)  # the draft has become the minutes
    for name in ("minutes", "minutes_by", "minutes_at", "held_at"):
        setattr(meeting, name, getattr(locked, name))


@transaction.atomic
def send_minutes(meeting: Meeting, *, by: User) -> list[MinutesRecipient]:
    """Send the decision minutes to the participants (Herningmodellen 1.0: "Efter mødet udfærdiger
    koordinator et beslutningsreferat fra møderne [...], som sendes til deltagerne") and record
    each recipient with the time. Staff and school contacts with an account get a notice naming
    the meeting, never a child; a guest without one is recorded as sent by the sender outside
    trappen. Participants who already received the minutes are not sent them again (a later
    participant is). Only who may send them (`policy.meetings.may_send_minutes`)."""
    if not meetings_policy.may_send_minutes(by, meeting):
        raise PermissionDenied
    if meeting.held_at is None or not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before sending them."))
    now = timezone.now()
    done = set(meeting.minutes_recipients.values_list("participant_id", flat=True))
    sent = [
        MinutesRecipient(
            meeting=meeting,
            participant=p,
            name=str(p),
            role=p.role,
            user=p.user,
            sent_at=now,
            sent_by=by,
        )
        for p in meeting.participants.select_related("user")
        if p.pk not in done
    ]
    MinutesRecipient.objects.bulk_create(sent)
    text = _("The minutes of the %(kind)s on %(day)s have been sent to you.") % {
        "kind": meeting.series.get_kind_display().lower(),
        "day": date_format(meeting.day, "SHORT_DATE_FORMAT"),
    }
    for r in sent:
        if r.user is not None and r.user.is_active:
            notify(r.user, text)
    audit_record(AuditAction.UPDATE, meeting, user=by, detail={"minutes_sent_to": len(sent)})
    return sent


def remind_journal(meeting: Meeting) -> None:
    text = _(
        "Internal meeting on %(day)s: remember your own journal entry for the cases you discussed."
    ) % {"day": date_format(meeting.day, "SHORT_DATE_FORMAT")}
    for participant in meeting.participants.filter(user__isnull=False).select_related("user"):
        if participant.user is not None:  # always: filtered above
            notify(participant.user, text)


def plan_meeting(meeting: Meeting, data: dict[str, Any]) -> None:
    """The meeting's day, time, length, place and chair as the planner set them."""
    meeting.starts_at = timezone.make_aware(datetime.combine(data["day"], data["at"]))
    meeting.ends_at = meeting.starts_at + timedelta(minutes=data["minutes_long"])
    meeting.place = data["place"]
    meeting.chair = data["chair"]
    with transaction.atomic():  # the meeting and its audit entry together
        meeting.save()
