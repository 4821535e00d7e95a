"""Registering, assessing and routing notifications. Each operation is one transaction."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.cases.caseload import caseloads
from trappen.cases.models import Case, CaseAssignment, Child
from trappen.core import caseload as caseload_rules
from trappen.core import cpr as cpr_rules
from trappen.core import intake as intake_rules
from trappen.core import notifiers
from trappen.notices.models import notify
from trappen.organisation.models import District, Organisation, Profession, User
from trappen.rules.models import DeadlineRule, deadline_for

from . import duty
from .models import Notification


def is_unconfirmed(child: Child) -> bool:
    """Was the child created from a school's or day-care's word, not yet confirmed by its team
    leader? Such a child has no case and does not count as known (docs/case-flow.md)."""
    return Notification.objects.filter(child=child, child_unconfirmed=True).exists()


def takes_senders_word(by: User) -> bool:
    """Case staff register a new child as known; a school or day-care contact's name and
    district wait for the team leader's confirmation."""
    return by.profession != Profession.SCHOOL


@dataclass(frozen=True)
class Notifier:
    """Who notified (F8 point 4); all empty for an anonymous notifier."""

    name: str = ""
    role: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    phone: str = ""
    email: str = ""


def _check_notifier(source: str, notifier: Notifier) -> None:
    missing = intake_rules.missing_notifier_details(
        anonymous=source == Notification.Source.ANONYMOUS,
        professional=notifiers.is_professional(source),
        name=notifier.name,
        phone=notifier.phone,
        email=notifier.email,
    )
    if (
        "no_name" in missing
        or "no_contact" in missing
        or (
            source == Notification.Source.ANONYMOUS
            and (notifier.role or notifier.organisation or notifier.organisation_name)
        )
    ):
        raise ValidationError(_("An anonymous notification records no name and no contact."))


@transaction.atomic
def register(
    *,
    cpr: str,
    first_name: str,
    last_name: str,
    district: District | None,
    received_at: datetime,
    source: str,
    content: str,
    by: User,
    kind: str = Notification.Kind.NOTIFICATION,
    notifier: Notifier | None = None,
    receipt_now: bool = False,
) -> Notification:
    """Register a notification; known children are routed to their open case's caseworker,
    others to the team leader of the child's district. The 24-hour assessment is offered to
    the caseworker on duty in the child's team (trappen.intake.duty). `receipt_now`: the
    notifier sent it themselves and got the receipt on the screen and in their messages."""
    notifier = notifier or Notifier()
    _check_notifier(source, notifier)
    child = Child.objects.filter(cpr=cpr).first()
    unconfirmed = False
    if child is None:
        if district is None:
            raise ValidationError(_("Choose the child's district."))
        parsed = cpr_rules.Cpr(cpr)
        child = Child.objects.create(
            cpr=cpr,
            first_name=first_name,
            last_name=last_name,
            birth_date=parsed.birth_date,
            sex=parsed.sex.value,
            district=district,
        )
        unconfirmed = not takes_senders_word(by)
    else:
        # A later notification of an unconfirmed child is unconfirmed too: it stays with the
        # child (one child, one queue), and the names and district it gives change nothing.
        unconfirmed = is_unconfirmed(child)
    case = child.open_case()
    on_call = duty.on_duty(child.district.team, timezone.now())
    notification = Notification.objects.create(
        child=child,
        case=case,
        received_at=received_at,
        kind=kind,
        source=source,
        notifier_name=notifier.name.strip(),
        notifier_role=notifier.role.strip(),
        notifier_organisation=notifier.organisation,
        notifier_organisation_name=notifier.organisation_name.strip(),
        notifier_phone=notifier.phone.strip(),
        notifier_email=notifier.email.strip(),
        content=content,
        registered_by=by,
        assessment_deadline=deadline_for(DeadlineRule.Key.NOTIFICATION_ASSESSMENT, received_at),
        stated_district=district,
        child_unconfirmed=unconfirmed,
        offered_to=on_call,
    )
    if receipt_now and notification.from_professional:
        notification.receipt_sent_on = timezone.localdate()
        notification.save(update_fields=["receipt_sent_on"])
        notify(
            by,
            _(
                "Receipt: your %(kind)s %(reference)s was received by the district team on "
                "%(day)s. Keep the reference number; it is all the team needs to find it."
            )
            % {
                "kind": notification.get_kind_display().lower(),
                "reference": notification.reference,
                "day": timezone.localtime(received_at).strftime("%d.%m.%Y %H:%M"),
            },
        )
    if on_call is not None and (case is None or case.caseworker_id != on_call.pk):
        notify(
            on_call,
            _("You are on duty: a new notification awaits its 24-hour assessment"),
            notification=notification,
        )
    if case is not None:
        notify(case.caseworker, _("New notification in your case"), case)
    elif unconfirmed:
        for leader in child.district.team.leaders():
            notify(
                leader,
                _("New notification of a child not yet confirmed: confirm name and district"),
                notification=notification,
            )
        if district is not None and district.team_id != child.district.team_id:
            # Not silently: the team of the district the sender named hears of it as well.
            for leader in district.team.leaders():
                notify(
                    leader,
                    _(
                        "A notification names your district for a child not yet confirmed in "
                        "another team's district; that team's leader confirms the district"
                    ),
                    notification=notification,
                )
    else:
        for leader in child.district.team.leaders():
            notify(leader, _("New notification awaiting assignment"), notification=notification)
    return notification


@transaction.atomic
def confirm_child(
    notification: Notification, *, first_name: str, last_name: str, district: District, by: User
) -> Child:
    """The team leader confirms (or corrects) the name and district of a child first known from
    a school's concern; from now on the child is known, and a new district moves its
    notifications to that team's queue."""
    child = Child.objects.select_for_update().get(pk=notification.child_id)
    pending = Notification.objects.filter(child=child, child_unconfirmed=True)
    if not pending.exists():
        raise ValidationError(_("The child is already confirmed."))
    moved = district.team_id != child.district.team_id
    child.first_name, child.last_name, child.district = first_name, last_name, district
    child.save(update_fields=["first_name", "last_name", "district"])
    pending.update(child_unconfirmed=False)
    Notification.objects.filter(pk=notification.pk).update(
        child_confirmed_by=by, child_confirmed_at=timezone.now()
    )
    if moved:
        for leader in district.team.leaders():
            notify(leader, _("New notification awaiting assignment"), notification=notification)
    return child


@transaction.atomic
def assess(notification: Notification, *, by: User, urgent_action: bool, note: str) -> None:
    if notification.is_assessed:
        raise ValidationError(_("This notification has already been assessed."))
    notification.assessed_by = by
    notification.assessed_at = timezone.now()
    notification.urgent_action = urgent_action
    notification.assessment_note = note
    notification.save()
    if urgent_action:
        # "Ja, akut" starts the urgent path (F10 point 6): the team's leaders hear of it at
        # once, with the notification linked (the message itself names no child).
        for leader in notification.child.district.team.leaders():
            if leader.pk != by.pk:
                notify(
                    leader,
                    _("Urgent: a 24-hour assessment found that urgent action is needed"),
                    notification.case,
                    notification=notification,
                )
    if notification.case is not None and notification.case.caseworker_id != by.pk:
        notify(
            notification.case.caseworker,
            _("The 24-hour assessment has been made"),
            notification.case,
        )


@transaction.atomic
def urgent_handled(notification: Notification, *, by: User, note: str) -> None:
    """Ends the urgent path of a "Ja, akut" notification (F10 point 6 b): the urgent action is
    carried out, the case's *Akut* flag goes. Who, when and what was done are kept."""
    # Read again under a lock: a page read before someone else recorded it must not
    # overwrite their record.
    current = Notification.objects.select_for_update().get(pk=notification.pk)
    notification.urgent_handled_at = current.urgent_handled_at
    if not notification.urgent_open:
        raise ValidationError(_("This notification has no open urgent action."))
    if not note.strip():
        raise ValidationError({"note": _("Write what was done.")})
    notification.urgent_handled_by = by
    notification.urgent_handled_at = timezone.now()
    notification.urgent_handled_note = note
    notification.save(
        update_fields=["urgent_handled_by", "urgent_handled_at", "urgent_handled_note"]
    )


@transaction.atomic
def assign(notification: Notification, *, caseworker: User, by: User) -> Case:
    """Open a case for the notified child with one caseworker from the district's team."""
    if is_unconfirmed(notification.child):
        raise ValidationError(_("Confirm the child's name and district before assigning."))
    team = notification.child.district.team
    if caseworker.team_id != team.pk or not caseworker.is_caseworker or not caseworker.is_active:
        raise ValidationError(
            _("The case can only be assigned to a caseworker in the district's team (%(team)s).")
            % {"team": team.name}
        )
    child = Child.objects.select_for_update().get(pk=notification.child_id)
    if child.open_case() is not None:
        raise ValidationError(_("The child already has an open case."))
    loads = caseloads(team)
    suggested = caseload_rules.suggest(loads)
    case = Case.objects.create(
        child=child,
        team=team,
        caseworker=caseworker,
        opened_on=timezone.localdate(notification.received_at),
    )
    CaseAssignment.objects.create(
        case=case,
        caseworker=caseworker,
        assigned_by=by,
        caseload_at_assignment=loads.get(caseworker, 0),
        was_suggested=suggested == caseworker,
    )
    Notification.objects.filter(child=child, case__isnull=True).update(case=case)
    notify(caseworker, _("A new case has been assigned to you"), case)
    return case
