"""Operations on a case as a whole: journal, early steps, transfer and closure."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from trappen.core import quality as quality_rules_core
from trappen.drafts import services as drafts
from trappen.drafts.models import Draft
from trappen.notices.models import notify
from trappen.organisation.models import District, Team, User

from . import quality_rules
from .models import Case, CaseAssignment, Complaint, Handover, Transfer


class CaseConflict(Exception):
    """The case changed after the editor's form was rendered (no lost updates)."""

    def __init__(self, current: Case) -> None:
        super().__init__(f"case {current.pk} is at version {current.version}")
        self.current = current


def _check_version(case: Case, version: int | None) -> None:
    """Lock the case row for the rest of the transaction; a `version` other than the stored one
    (the form was rendered before someone else changed the case) is a CaseConflict.
    None: the caller has no form version (code, not an editor) and takes the case as it is."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and current.version != version:
        raise CaseConflict(current)


def active_episodes(case: Case, on: date | None = None):
    day = on or timezone.localdate()
    return case.episodes.active_on(day)


def stays_with_team(case: Case) -> bool:
    """Placements and aftercare stay with the current team when the family moves (seed rule)."""
    return (
        active_episodes(case)
        .filter(Q(intervention__placement_type__gt="") | Q(intervention__is_aftercare=True))
        .exists()
    )


@transaction.atomic
def request_transfer(
    case: Case,
    *,
    to_district: District,
    receiving_team_leader: User,
    handover_meeting_on: date,
    by: User,
    version: int | None = None,
) -> Transfer:
    _check_version(case, version)
    if case.transfers.filter(completed_at__isnull=True).exists():
        raise ValidationError(_("The case already has a pending transfer."))
    if to_district.team_id == case.team_id:
        raise ValidationError(_("The new district belongs to the same team; no transfer needed."))
    if stays_with_team(case):
        raise ValidationError(
            _(
                "Cases with a placement or aftercare stay with the current team "
                "when the family moves."
            )
        )
    if not (
        receiving_team_leader.is_team_leader
        and receiving_team_leader.team_id == to_district.team_id
    ):
        raise ValidationError(
            _("The receiving team leader must lead the team of the new district (%(team)s).")
            % {"team": to_district.team.name}
        )
    transfer = Transfer.objects.create(
        case=case,
        from_team=case.team,
        to_district=to_district,
        to_team=to_district.team,
        receiving_team_leader=receiving_team_leader,
        handover_meeting_on=handover_meeting_on,
        requested_by=by,
    )
    # A pending transfer changes what may be done with the case (it cannot be closed).
    case.save(update_fields=["version"])
    notify(receiving_team_leader, _("A case is being transferred to your team"), case)
    return transfer


@transaction.atomic
def complete_transfer(
    transfer: Transfer, *, caseworker: User, by: User, version: int | None = None
) -> None:
    """The receiving team leader names the new caseworker; the case and child move."""
    _check_version(transfer.case, version)
    # Locked: of two leaders receiving at once, the second sees the completed transfer.
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not transfer.is_pending:
        raise ValidationError(_("This transfer is already completed."))
    if not transfer.case.is_open:
        raise ValidationError(_("The case is already closed."))
    if caseworker.team_id != transfer.to_team_id or not caseworker.is_caseworker:
        raise ValidationError(
            _("The case can only be assigned to a caseworker in the district's team (%(team)s).")
            % {"team": transfer.to_team.name}
        )
    case = transfer.case
    previous = case.caseworker
    load = caseworker.cases.exclude(status=Case.Status.CLOSED).count()
    case.team = transfer.to_team
    case.caseworker = caseworker
    case.save(update_fields=["team", "caseworker"])
    case.child.district = transfer.to_district
    case.child.save(update_fields=["district"])
    CaseAssignment.objects.create(
        case=case, caseworker=caseworker, assigned_by=by, caseload_at_assignment=load
    )
    transfer.new_caseworker = caseworker
    transfer.completed_at = timezone.now()
    transfer.save(update_fields=["new_caseworker", "completed_at"])
    notify(caseworker, _("A transferred case has been assigned to you"), case)
    # No case link: the former caseworker no longer sees the case; name the child instead.
    notify(
        previous,
        _("%(child)s's case has been received by %(team)s; call the handover meeting")
        % {"child": case.child.full_name, "team": transfer.to_team.name},
    )


@transaction.atomic
def close(
    case: Case, *, closed_on: date, reason: str, note: str, version: int | None = None
) -> None:
    _check_version(case, version)
    if not case.is_open:
        raise ValidationError(_("The case is already closed."))
    if case.transfers.filter(completed_at__isnull=True).exists():
        raise ValidationError(
            _("The case is being transferred; the receiving team closes it after the handover.")
        )
    if closed_on < case.opened_on:
        raise ValidationError(_("A case cannot close before it was opened."))
    if (
        active_episodes(case, closed_on).exists()
        or case.episodes.filter(end_on__isnull=True).exists()
    ):
        raise ValidationError(_("End the case's active measures before closing it."))
    if case.visitation_requests.filter(status="pending").exists():
        raise ValidationError(
            _("A measure awaits the visitation committee; the team leader decides it first.")
        )
    if case.investigations.filter(completed_on__isnull=True).exists():
        raise ValidationError(_("Complete the open child investigation before closing the case."))
    case.status = Case.Status.CLOSED
    case.closed_on = closed_on
    case.closure_reason = reason
    case.closure_note = note
    case.save(update_fields=["status", "closed_on", "closure_reason", "closure_note"])


# ---------------------------------------------------------------- complaints (F8 point 8)

COMPLAINT_MESSAGES = {
    "unknown_kind": gettext_lazy("Choose what the complaint is about."),
    "decision_missing": gettext_lazy("Name the decision the complaint is about."),
    "received_in_future": gettext_lazy("The complaint cannot be received after today."),
    "outcome_not_for_kind": gettext_lazy(
        "This outcome does not fit the kind of complaint: only a complaint about a decision is "
        "sent on to Ankestyrelsen, and a decision the municipality upholds is always sent on."
    ),
    "outcome_date_missing": gettext_lazy("Give the date of the outcome."),
    "outcome_date_without_outcome": gettext_lazy("Choose the outcome of that date."),
    "outcome_before_received": gettext_lazy(
        "The outcome cannot be dated before the complaint was received."
    ),
    "outcome_in_future": gettext_lazy("The outcome cannot be dated after today."),
    "ruling_unknown": gettext_lazy("Choose one of Ankestyrelsen's rulings."),
    "ruling_without_sending": gettext_lazy(
        "Ankestyrelsen rules only on a complaint the municipality sent on to it."
    ),
    "ruling_date_missing": gettext_lazy("Give the date of Ankestyrelsen's ruling."),
    "ruling_date_without_ruling": gettext_lazy("Choose Ankestyrelsen's ruling of that date."),
    "ruling_before_outcome": gettext_lazy(
        "Ankestyrelsen's ruling cannot be dated before the complaint was sent on."
    ),
    "ruling_in_future": gettext_lazy("Ankestyrelsen's ruling cannot be dated after today."),
}


def _check_complaint(complaint: Complaint) -> None:
    problems = quality_rules_core.complaint_problems(
        kind=complaint.kind,
        decision=complaint.decision,
        received_on=complaint.received_on,
        outcome=complaint.outcome,
        outcome_on=complaint.outcome_on,
        today=timezone.localdate(),
        outcomes=quality_rules.complaint_outcomes(),
        ruling=complaint.ruling,
        ruling_on=complaint.ruling_on,
        rulings=quality_rules.rulings()["rulings"],
        ruling_for_outcome=quality_rules.rulings()["for_outcome"],
    )
    if problems:
        raise ValidationError([str(COMPLAINT_MESSAGES[p]) for p in problems])


@transaction.atomic
def register_complaint(
    case: Case,
    *,
    received_on: date,
    kind: str,
    complainant: str,
    decision: str = "",
    note: str = "",
    outcome: str = "",
    outcome_on: date | None = None,
    by: User,
) -> Complaint:
    """A complaint on `case`, counted for the case's team (KORA table 3.2 counts by team)."""
    complaint = Complaint(
        child=case.child,
        team=case.team,
        case=case,
        received_on=received_on,
        kind=kind,
        decision=decision.strip() if kind == Complaint.Kind.DECISION else "",
        complainant=complainant,
        note=note,
        outcome=outcome,
        outcome_on=outcome_on,
        recorded_by=by,
    )
    _check_complaint(complaint)
    complaint.save()
    return complaint


@transaction.atomic
def record_complaint_outcome(
    complaint: Complaint,
    *,
    outcome: str,
    outcome_on: date | None,
    note: str | None = None,
    ruling: str = "",
    ruling_on: date | None = None,
) -> Complaint:
    """The municipality's outcome and, for a complaint sent on, Ankestyrelsen's ruling with its
    date (stadfæstet, ændret/ophævet, hjemvist, afvist/henvist; core/data/quality.json). The
    change is audited (Complaint is case data)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint.outcome = outcome
    complaint.outcome_on = outcome_on
    complaint.ruling = ruling
    complaint.ruling_on = ruling_on
    fields = ["outcome", "outcome_on", "ruling", "ruling_on"]
    if note is not None:
        complaint.note = note
        fields.append("note")
    _check_complaint(complaint)
    complaint.save(update_fields=fields)
    return complaint


# ---------------------------------------------------------------- handover inside a team


@transaction.atomic
def hand_over(
    cases: list[Case],
    *,
    team: Team,
    from_caseworker: User,
    to_caseworker: User,
    reason: str,
    note: str,
    handover_on: date,
    by: User,
) -> Handover:
    """The team leader moves `cases` of `from_caseworker` to `to_caseworker`, both of `team`:
    each case gets its assignment (the history), linked to one handover with the note; the
    new caseworker is notified once, without the children's names or CPR numbers."""
    if not cases:
        raise ValidationError(_("Choose at least one case to hand over."))
    if to_caseworker.pk == from_caseworker.pk:
        raise ValidationError(_("Choose another caseworker to take over the cases."))
    if not team.caseworkers().filter(pk=to_caseworker.pk).exists():
        raise ValidationError(
            _("The cases can only go to an active caseworker of the team (%(team)s).")
            % {"team": team.name}
        )
    if reason not in Handover.Reason.values:
        raise ValidationError(_("Choose the reason for the handover."))
    if not note.strip():
        raise ValidationError(_("Write a handover note for the caseworker taking over."))
    locked = list(
        Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]).order_by("pk")
    )
    for case in locked:
        if case.team_id != team.pk or case.caseworker_id != from_caseworker.pk or not case.is_open:
            raise ValidationError(
                _("%(case)s is no longer an open case of %(name)s in the team; reload the page.")
                % {"case": case, "name": from_caseworker.get_full_name() or from_caseworker}
            )
        if case.transfers.filter(completed_at__isnull=True).exists():
            raise ValidationError(
                _("%(case)s is being transferred to another team; it cannot be handed over.")
                % {"case": case}
            )
    handover = Handover.objects.create(
        team=team,
        from_caseworker=from_caseworker,
        to_caseworker=to_caseworker,
        reason=reason,
        note=note,
        handover_on=handover_on,
        by=by,
    )
    load = to_caseworker.cases.exclude(status=Case.Status.CLOSED).count()
    for case in locked:
        case.caseworker = to_caseworker
        case.save(update_fields=["caseworker"])
        CaseAssignment.objects.create(
            case=case,
            caseworker=to_caseworker,
            assigned_by=by,
            caseload_at_assignment=load,
            handover=handover,
        )
        load += 1
    # One notice, no names or CPR numbers: the cases are on the new caseworker's home page.
    notify(
        to_caseworker,
        ngettext(
            "%(count)d case has been handed over to you (%(reason)s); read the handover note "
            "on the case.",
            "%(count)d cases have been handed over to you (%(reason)s); read the handover note "
            "on the cases.",
            len(locked),
        )
        % {"count": len(locked), "reason": handover.get_reason_display().lower()},
        locked[0] if len(locked) == 1 else None,
    )
    return handover


def add_journal_entry(form: "ModelForm[Any]", *, case: Case, author: User) -> None:
    """A journal entry on the case, written by `author` (the form is valid)."""
    form.instance.case = case
    form.instance.author = author
    with transaction.atomic():  # the entry and its audit entry, or neither
        form.save()
        drafts.clear(author, Draft.Kind.JOURNAL, case=case)  # the draft has become the note


def record_early_step(case: Case, user: User, data: dict[str, Any]) -> None:
    """An early step (the work before a measure) recorded on the case."""
    with transaction.atomic():  # the step and its audit entry, or neither
        case.early_steps.create(recorded_by=user, **data)
