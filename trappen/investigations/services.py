from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.organisation.models import User
from trappen.rules.models import DeadlineRule, date_deadline_for

from .models import ChildInvestigation


@transaction.atomic
def start(case: Case, *, started_on: date, by: User) -> ChildInvestigation:
    if case.investigations.filter(completed_on__isnull=True).exists():
        raise ValidationError(_("The case already has an open child investigation."))
    if started_on < case.opened_on:
        raise ValidationError(_("The investigation cannot start before the case was opened."))
    investigation = ChildInvestigation.objects.create(
        case=case,
        started_on=started_on,
        deadline=date_deadline_for(DeadlineRule.Key.CHILD_INVESTIGATION, started_on),
        started_by=by,
    )
    if case.status == Case.Status.CLARIFICATION:
        case.status = Case.Status.INVESTIGATION
        case.save(update_fields=["status"])
    return investigation


@transaction.atomic
def complete(investigation: ChildInvestigation, *, completed_on: date, conclusion: str) -> None:
    if not investigation.is_open:
        raise ValidationError(_("The investigation is already completed."))
    if not investigation.network.exists():
        raise ValidationError(
            _(
                "The network map must be made with the family before the investigation can be "
                "completed."
            )
        )
    if completed_on < investigation.started_on:
        raise ValidationError(_("The investigation cannot be completed before it started."))
    investigation.completed_on = completed_on
    investigation.conclusion = conclusion
    investigation.save(update_fields=["completed_on", "conclusion"])
