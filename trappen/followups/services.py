"""Recording follow-ups and deciding exceptions; each operation is one transaction."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import JournalEntry
from trappen.core import goal_attainment
from trappen.core.cadence_rules import RuleError, parse_interval
from trappen.measures.models import Episode
from trappen.organisation.models import User

from .models import FollowUp, FollowUpException, GoalRating, ProviderReport


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
    child_rating: int | None = None,
    goal_ratings: Mapping[int, int] | None = None,
) -> FollowUp:
    """Record a follow-up. `child_rating`: the child's own 1-10, only with a child
    conversation. `goal_ratings` (goal pk → −2 … +2): every goal of the action plan's current
    revision rated, none other; None when the caller rates no goals (an import, the demo)."""
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
    scales = goal_attainment.scales()
    if child_rating is not None:
        if not child_conversation:
            raise ValidationError(
                {"child_rating": _("The child's own rating is asked at a child conversation.")}
            )
        if not scales.child.valid(child_rating):
            raise ValidationError(
                {
                    "child_rating": _("The child's rating is from %(low)s to %(high)s.")
                    % {"low": scales.child.low, "high": scales.child.high}
                }
            )
    case = episode.case
    plan = getattr(case, "action_plan", None)
    revision = plan.current() if plan else None
    if goal_ratings is not None:
        goals = {g.pk: g for g in revision.goals.all()} if revision else {}
        if set(goal_ratings) - set(goals):
            raise ValidationError(_("A goal rated is not in the action plan's current revision."))
        if set(goals) - set(goal_ratings):
            raise ValidationError(_("Rate every goal of the action plan."))
        if any(v not in scales.goal.values for v in goal_ratings.values()):
            raise ValidationError(_("Rate each goal on the scale from -2 to +2."))
    entry = None
    if child_conversation:
        entry = JournalEntry.objects.create(
            case=case,
            author=by,
            heading=JournalEntry.Heading.CHILD_CONVERSATION,
            text=conversation_note,
        )
    follow_up = FollowUp.objects.create(
        episode=episode,
        case=case,
        held_on=held_on,
        form=form,
        child_conversation=child_conversation,
        journal_entry=entry,
        plan_review=plan_review,
        plan_revision=revision,
        next_agreed_on=next_agreed_on,
        rhythm=rhythm,
        rhythm_justification=rhythm_justification,
        child_wishes=child_wishes,
        at_placement=at_placement,
        staff_present=staff_present if at_placement else "",
        note=note,
        recorded_by=by,
        child_rating=child_rating,
    )
    for goal_pk, value in (goal_ratings or {}).items():
        GoalRating.objects.create(follow_up=follow_up, goal_id=goal_pk, rating=value)
    return follow_up


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
    if episode.end_on is not None and episode.end_on < timezone.localdate():
        # It would count from today on: for a measure that has ended it changes nothing.
        raise ValidationError(_("The measure has ended: there is no exception to approve."))
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
