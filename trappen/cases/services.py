"""Operations on a case as a whole: journal, early steps, transfer and closure."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.notices.models import notify
from trappen.organisation.models import District, User

from .models import Case, CaseAssignment, Transfer


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


def add_journal_entry(form: "ModelForm[Any]", *, case: Case, author: User) -> None:
    """A journal entry on the case, written by `author` (the form is valid)."""
    form.instance.case = case
    form.instance.author = author
    with transaction.atomic():  # the entry and its audit entry, or neither
        form.save()


def record_early_step(case: Case, user: User, data: dict[str, Any]) -> None:
    """An early step (the work before a measure) recorded on the case."""
    with transaction.atomic():  # the step and its audit entry, or neither
        case.early_steps.create(recorded_by=user, **data)
