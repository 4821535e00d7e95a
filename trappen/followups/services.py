"""Recording follow-ups and deciding exceptions; each operation is one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import JournalEntry
from trappen.measures.models import Episode
from trappen.organisation.models import User

from .models import FollowUp, FollowUpException


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
        note=note,
        recorded_by=by,
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
