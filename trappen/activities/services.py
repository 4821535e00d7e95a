from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trappen.access.policy import may_record
from trappen.cases.models import Case
from trappen.organisation.models import User

from .models import MAX_CLARIFYING_TALKS, Activity


@transaction.atomic
def record(case: Case, *, kind: str, held_on: date, note: str = "", by: User) -> Activity:
    """Record an activity; a clarifying talk gets the next number of the case's course."""
    if not may_record(by, case, kind):
        raise PermissionDenied
    talk_number = None
    if kind == Activity.Kind.CLARIFYING_TALK:
        # Lock the case row so two psychologists saving at once cannot both get number 5.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        held = case.activities.filter(kind=kind).count()
        if held >= MAX_CLARIFYING_TALKS:
            raise ValidationError(
                _(
                    "A course of clarifying talks has at most %(max)s talks, and this case has "
                    "had all %(max)s. Discuss further support with the caseworker."
                )
                % {"max": MAX_CLARIFYING_TALKS}
            )
        talk_number = held + 1
    return Activity.objects.create(
        case=case, kind=kind, held_on=held_on, note=note, talk_number=talk_number, recorded_by=by
    )
