from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.catalogue.models import Intervention
from trappen.organisation.models import User

from .models import Episode


def _check_dates(start_on: date, end_on: date | None) -> None:
    if end_on is not None and end_on < start_on:
        raise ValidationError(_("A measure cannot end before it starts."))


@transaction.atomic
def start(
    case: Case,
    *,
    intervention: Intervention,
    start_on: date,
    end_on: date | None,
    end_reason: str,
    provider: str,
    daily_cost: Decimal,
    by: User,
) -> Episode:
    if not case.is_open:
        raise ValidationError(_("A closed case cannot get new measures."))
    _check_dates(start_on, end_on)
    if end_on is not None and not end_reason:
        raise ValidationError(_("Give the reason the measure ended."))
    episode = Episode.objects.create(
        child=case.child,
        case=case,
        intervention=intervention,
        start_on=start_on,
        end_on=end_on,
        end_reason=end_reason if end_on else "",
        provider=provider or intervention.provider,
        daily_cost=daily_cost,
        created_by=by,
    )
    if case.status != Case.Status.MEASURES:
        case.status = Case.Status.MEASURES
        case.save(update_fields=["status"])
    return episode


@transaction.atomic
def end(episode: Episode, *, end_on: date, end_reason: str) -> None:
    if episode.end_on is not None:
        raise ValidationError(_("The measure has already ended."))
    _check_dates(episode.start_on, end_on)
    episode.end_on = end_on
    episode.end_reason = end_reason
    episode.save(update_fields=["end_on", "end_reason"])
