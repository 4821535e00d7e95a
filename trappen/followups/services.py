"""Recording follow-ups and deciding exceptions; each operation is one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import JournalEntry
from trappen.core.cadence_rules import RuleError, parse_interval
from trappen.measures.models import Episode
from trappen.organisation.models import User

from .models import FollowUp, FollowUpException, ProviderReport


@transaction.atomic
def record(
    episode: Episode,
    *,
    held_on: date,
    form: str,
    child_conversation: bool,
    conversation_note: str,
    plan_review: str,
    next_agreed_on: date | None,
    note: str,
    by: User,
    rhythm: str = "",
    rhythm_justification: str = "",
    child_wishes: str = "",
    at_placement: bool = False,
    staff_present: str = "",
) -> FollowUp:
    if held_on < episode.start_on:
        raise ValidationError(_("A follow-up cannot be held before the measure started."))
    if held_on > timezone.localdate():
        raise ValidationError(_("A follow-up cannot be recorded for a future date."))
    if episode.end_on is not None and held_on > episode.end_on:
        raise ValidationError(_("The measure had ended by then."))
    if child_conversation and not conversation_note.strip():
        raise ValidationError(_("Write the journal note of the child conversation."))
    if next_agreed_on is not None and next_agreed_on <= held_on:
        raise ValidationError(_("The next follow-up must be after this one."))
    if rhythm:
        try:
            parse_interval(rhythm)
        except RuleError:
            raise ValidationError({"rhythm": _("Choose the rhythm from the list.")}) from None
        if not rhythm_justification.strip():
            raise ValidationError(
                {"rhythm_justification": _("Justify the rhythm to the child and the parents.")}
            )
    if at_placement and not episode.intervention.placement_type:
        raise ValidationError({"at_placement": _("Only a placement has supervision visits.")})
    case = episode.case
    entry = None
    if child_conversation:
        entry = JournalEntry.objects.create(
            case=case,
            author=by,
            heading=JournalEntry.Heading.CHILD_CONVERSATION,
            text=conversation_note,
        )
    plan = getattr(case, "action_plan", None)
    return FollowUp.objects.create(
        episode=episode,
        case=case,
        held_on=held_on,
        form=form,
        child_conversation=child_conversation,
        journal_entry=entry,
        plan_review=plan_review,
        plan_revision=plan.current() if plan else None,
        next_agreed_on=next_agreed_on,
        rhythm=rhythm,
        rhythm_justification=rhythm_justification,
        child_wishes=child_wishes,
        at_placement=at_placement,
        staff_present=staff_present if at_placement else "",
        note=note,
        recorded_by=by,
    )


@transaction.atomic
def record_report(episode: Episode, *, received_on: date, note: str, by: User) -> ProviderReport:
    """A status report received from the provider (KORA 2017: the family centre's at 8
    months), kept apart from the follow-ups the caseworker holds."""
    if received_on < episode.start_on or received_on > timezone.localdate():
        raise ValidationError(_("The report's date must be within the measure, not in the future."))
    return ProviderReport.objects.create(
        episode=episode, received_on=received_on, note=note, recorded_by=by
    )


@transaction.atomic
def approve_exception(episode: Episode, *, kind: str, reason: str, by: User) -> FollowUpException:
    if not policy.may(by, Action.APPROVE_EXCEPTION, episode.case):
        raise ValidationError(_("Only the team leader of the case's team can approve exceptions."))
    if not reason.strip():
        raise ValidationError(_("An exception needs a reason."))
    if episode.exceptions.filter(kind=kind, withdrawn_on__isnull=True).exists():
        raise ValidationError(_("This exception is already approved for the measure."))
    return FollowUpException.objects.create(
        episode=episode, kind=kind, reason=reason, approved_by=by
    )


@transaction.atomic
def withdraw_exception(exception: FollowUpException, *, by: User) -> None:
    if not policy.may(by, Action.APPROVE_EXCEPTION, exception.episode.case):
        raise ValidationError(_("Only the team leader of the case's team can withdraw exceptions."))
    if exception.withdrawn_on is not None:
        raise ValidationError(_("The exception is already withdrawn."))
    exception.withdrawn_on = timezone.localdate()
    exception.withdrawn_by = by
    exception.save(update_fields=["withdrawn_on", "withdrawn_by"])
