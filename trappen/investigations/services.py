"""The investigation tiers (Barnets Lov §§ 18-20) and their clock; each operation is one
transaction."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.core import ics
from trappen.core.duties import awareness_date
from trappen.organisation.models import User
from trappen.rules.models import DeadlineRule, date_deadline_for

from .models import (
    NOTE_LENGTH,
    AreaAssessment,
    ChildInvestigation,
    SiblingInvestigationTask,
    Tier,
)


def default_awareness(case: Case) -> date:
    """The first notification about the child (or the case's opening when none came before):
    the day the municipality became aware (§ 20, stk. 3)."""
    notified = [
        timezone.localdate(received)
        for received in case.child.notifications.values_list("received_at", flat=True)
    ]
    return awareness_date([d for d in notified if d <= case.opened_on], case.opened_on)


def _deadline(aware_on: date) -> date:
    return date_deadline_for(DeadlineRule.Key.CHILD_INVESTIGATION, aware_on)


@transaction.atomic
def start(
    case: Case,
    *,
    started_on: date,
    by: User,
    tier: str = Tier.INVESTIGATION,
    aware_on: date | None = None,
    aware_on_reason: str = "",
) -> ChildInvestigation:
    if case.investigations.filter(completed_on__isnull=True, tier=tier).exists():
        raise ValidationError(_("The case already has an open step of this kind."))
    if started_on < case.opened_on:
        raise ValidationError(_("The investigation cannot start before the case was opened."))
    investigation = ChildInvestigation(case=case, tier=tier, started_on=started_on, started_by=by)
    if tier == Tier.INVESTIGATION:
        _set_awareness(investigation, case, aware_on, aware_on_reason)
    investigation.save()
    if case.status == Case.Status.CLARIFICATION and tier != Tier.SCREENING:
        case.status = Case.Status.INVESTIGATION
        case.save(update_fields=["status"])
    return investigation


def _set_awareness(
    investigation: ChildInvestigation, case: Case, aware_on: date | None, reason: str
) -> None:
    default = default_awareness(case)
    chosen = aware_on or default
    if chosen != default and not reason.strip():
        raise ValidationError(
            {
                "aware_on": _(
                    "The first notification about the child came on %(date)s: give the reason "
                    "for another day."
                )
                % {"date": default.strftime("%d.%m.%Y")}
            }
        )
    if chosen > investigation.started_on:
        raise ValidationError(
            {"aware_on": _("The municipality was aware of the child before the start at latest.")}
        )
    investigation.aware_on = chosen
    investigation.aware_on_reason = reason.strip()
    investigation.deadline = _deadline(chosen)


@transaction.atomic
def set_awareness(investigation: ChildInvestigation, *, aware_on: date, reason: str) -> None:
    """Correct the day of awareness, with a reason; the deadline follows it."""
    if investigation.tier != Tier.INVESTIGATION:
        raise ValidationError(_("Only a child investigation has the 4-month deadline."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    _set_awareness(investigation, investigation.case, aware_on, reason)
    investigation.save(update_fields=["aware_on", "aware_on_reason", "deadline"])


@transaction.atomic
def record_preliminary(investigation: ChildInvestigation, *, made_on: date, text: str) -> None:
    """§ 20, stk. 3: the foreløbig vurdering when the investigation is not done in 4 months."""
    if investigation.tier != Tier.INVESTIGATION:
        raise ValidationError(_("Only a child investigation has a preliminary assessment."))
    if not text.strip():
        raise ValidationError({"text": _("Write the preliminary assessment.")})
    if made_on < investigation.started_on:
        raise ValidationError(_("The assessment cannot be made before the investigation started."))
    investigation.preliminary_on = made_on
    investigation.preliminary_assessment = text
    investigation.save(update_fields=["preliminary_on", "preliminary_assessment"])


@transaction.atomic
def complete(investigation: ChildInvestigation, *, completed_on: date, conclusion: str) -> None:
    if not investigation.is_open:
        raise ValidationError(_("The investigation is already completed."))
    if investigation.tier == Tier.INVESTIGATION and not investigation.network.exists():
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


@transaction.atomic
def close_sibling_task(
    task: SiblingInvestigationTask, *, outcome: str, note: str, by: User
) -> None:
    if not task.is_open:
        raise ValidationError(_("The task is already closed."))
    if outcome == SiblingInvestigationTask.Outcome.NOT_NEEDED and not note.strip():
        raise ValidationError({"note": _("Say why it is obvious that there is no need.")})
    task.outcome, task.note, task.closed_by = outcome, note, by
    task.closed_on = timezone.localdate()
    task.save(update_fields=["outcome", "note", "closed_by", "closed_on"])


def framework_of(investigation: ChildInvestigation) -> ics.Framework:
    """The areas in force on the day the investigation started (ics_areas.json)."""
    return ics.catalogue().framework_on(investigation.started_on)


def profile_of(
    investigation: ChildInvestigation, assessments: list[AreaAssessment] | None = None
) -> tuple[ics.SideProfile, ...]:
    """The structured investigation's areas side by side with their ratings; `assessments`
    when they are read already (the case page)."""
    rows = list(investigation.areas.all()) if assessments is None else assessments
    ratings = {a.area: (a.rating, a.note) for a in rows}
    return ics.profile(framework_of(investigation), ratings, ics.catalogue().levels)


@transaction.atomic
def assess_areas(
    investigation: ChildInvestigation,
    *,
    ratings: Mapping[str, tuple[int | None, str]],
    by: User,
) -> int:
    """Record the ratings of the areas (area key → (rating or None, note)), all or none: an
    area given a rating needs a short note; an area with neither is not assessed (an earlier
    rating of it is removed). Returns how many areas are rated now."""
    if investigation.tier != Tier.INVESTIGATION:
        raise ValidationError(_("Only a child investigation rates the areas (§ 22)."))
    if not investigation.is_open:
        raise ValidationError(_("The investigation is completed; its ratings are a record."))
    framework = framework_of(investigation)
    levels = ics.catalogue().values
    errors: dict[str, str] = {}
    for key, (rating, note) in ratings.items():
        area = framework.area(key)
        if area is None:
            raise ValidationError(_("Unknown area: %(key)s.") % {"key": key})
        if rating is not None and rating not in levels:
            errors[key] = _("%(area)s: choose a rating from the list.") % {"area": area.name}
        elif rating is not None and not note.strip():
            errors[key] = _("%(area)s: write a short note with the rating.") % {"area": area.name}
        elif rating is None and note.strip():
            errors[key] = _("%(area)s: choose a rating for the note, or leave the note empty.") % {
                "area": area.name
            }
        elif len(note) > NOTE_LENGTH:
            errors[key] = _("%(area)s: the note is at most %(n)s characters.") % {
                "area": area.name,
                "n": NOTE_LENGTH,
            }
    if errors:
        raise ValidationError(list(errors.values()))
    existing = {a.area: a for a in investigation.areas.all()}
    for key, (rating, note) in ratings.items():
        current = existing.get(key)
        if rating is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            AreaAssessment.objects.create(
                investigation=investigation,
                framework=framework.key,
                area=key,
                rating=rating,
                note=note.strip(),
                assessed_by=by,
            )
        elif (current.rating, current.note) != (rating, note.strip()):
            current.rating, current.note, current.assessed_by = rating, note.strip(), by
            current.assessed_at = timezone.now()
            current.save(update_fields=["rating", "note", "assessed_by", "assessed_at"])
    return investigation.areas.count()


def add_network_entry(form: "ModelForm[Any]", investigation: ChildInvestigation) -> None:
    """A person added to the investigation's network map (the form is valid)."""
    form.instance.investigation = investigation
    with transaction.atomic():  # the entry and its audit entry together
        form.save()
