"""Starting and ending measures: legal basis, movements on the staircase, exit plans, visitation.

`record` is what a caseworker's "new measure" does: the measure starts at once or, when its
monthly cost is above the municipality's visitation threshold, it waits as a VisitationRequest
until the team leader records the committee's approval (`approve`), which starts it. `start`
itself does not look at the threshold: it is the step both paths end in.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.cases.models import Case, Child
from trappen.catalogue.models import Intervention, LegalConcept
from trappen.core import legal, movements
from trappen.core.movements import StepChange
from trappen.core.staircase import EpisodeSpan
from trappen.notices.models import notify
from trappen.organisation.models import User
from trappen.rules.models import LegalBasis, legal_basis_for

from .models import (
    SIBLING_REASONS,
    Consent,
    Episode,
    Movement,
    VisitationRequest,
    is_institution,
    monthly_cost,
)

# The decision's content the law asks for (purpose, duration, consent, reason, hearing).
DECISION_FIELDS = (
    "purpose",
    "expected_end_on",
    "consent",
    "placement_reason",
    "child_heard",
    "child_not_heard_reason",
)


def _check_dates(start_on: date, end_on: date | None) -> None:
    if end_on is not None and end_on < start_on:
        raise ValidationError(_("A measure cannot end before it starts."))


# --- Movements on the staircase ------------------------------------------------------------


def _spans(child: Child, exclude: int | None = None) -> list[EpisodeSpan]:
    episodes = child.episodes.all() if exclude is None else child.episodes.exclude(pk=exclude)
    rows = episodes.values_list("intervention__step_id", "start_on", "end_on")
    return [EpisodeSpan(step, start, end) for step, start, end in rows]


def changes_on_start(
    child: Child, step: int, start_on: date, end_on: date | None
) -> list[StepChange]:
    """How a new episode moves the child: on its start day and, if it has one, its end day."""
    if end_on is not None and end_on <= start_on:
        return []  # never active: the child does not move (and its episodes are not read)
    return movements.changes_on_start(_spans(child), step, start_on, end_on)


def changes_on_end(episode: Episode, end_on: date) -> list[StepChange]:
    others = _spans(episode.child, exclude=episode.pk)
    return movements.changes_on_end(others, episode.step, episode.start_on, end_on)


def _require_reason(changes: list[StepChange], reason: str) -> None:
    if reason and reason not in Movement.Reason.values:
        raise ValidationError({"movement_reason": _("Choose a reason from the list.")})
    c = movements.first_move_between_steps(changes)
    if c is not None and not reason:
        raise ValidationError(
            {
                "movement_reason": _(
                    "The child moves from step %(from)s to step %(to)s on the staircase: "
                    "give the reason for the move."
                )
                % {"from": c.from_step, "to": c.to_step}
            }
        )


def _record_movements(
    episode: Episode, changes: list[StepChange], reason: str, note: str, by: User | None
) -> None:
    Movement.objects.bulk_create(
        Movement(
            child=episode.child,
            case=episode.case,
            episode=episode,
            from_step=c.from_step,
            to_step=c.to_step,
            moved_on=c.on,
            reason=reason,
            note=note,
            recorded_by=by,
        )
        for c in changes
    )


# --- Exit plans -----------------------------------------------------------------------------


def check_exit_plan(
    intervention: Intervention,
    start_on: date,
    planned_discharge_on: date | None,
    intended_next_step: int | None,
) -> None:
    """An institution placement is planned with its end from admission (KORA 2017)."""
    if not is_institution(intervention):
        return
    errors: dict[str, str] = {}
    if planned_discharge_on is None:
        errors["planned_discharge_on"] = _(
            "An institution placement needs an exit plan from admission: "
            "give the planned discharge date."
        )
    elif planned_discharge_on < start_on:
        errors["planned_discharge_on"] = _(
            "The planned discharge cannot be before the placement starts (%(date)s)."
        ) % {"date": start_on.strftime("%d.%m.%Y")}
    if intended_next_step is None:
        errors["intended_next_step"] = _(
            "An institution placement needs an exit plan from admission: "
            "give the step the child is meant to move on to."
        )
    elif not 0 <= intended_next_step <= 4:
        errors["intended_next_step"] = _("The next step is one of the steps 0-4.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_exit_plan(episode: Episode, *, planned_discharge_on: date, intended_next_step: int) -> None:
    if not episode.is_institution:
        raise ValidationError(_("Only institution placements have an exit plan."))
    if episode.end_on is not None:
        raise ValidationError(_("The measure has already ended."))
    check_exit_plan(
        episode.intervention, episode.start_on, planned_discharge_on, intended_next_step
    )
    episode.planned_discharge_on = planned_discharge_on
    episode.intended_next_step = intended_next_step
    episode.save(update_fields=["planned_discharge_on", "intended_next_step"])


# --- The decision's legal content ------------------------------------------------------------


def _placement_basis(consent: str, on: date) -> LegalBasis | None:
    """§ 46 (with consent) or § 47 (without) when the data has the specific row; else the
    placement concept's main basis."""
    wanted = {Consent.WITH: "§ 46", Consent.WITHOUT: "§ 47"}.get(consent)  # type: ignore[call-overload]
    rows = {r.as_core(): r for r in LegalBasis.objects.filter(concept="placement")}
    for basis in legal.bases_in_force(rows, "placement", on):
        if wanted and basis.paragraph == wanted:
            return rows[basis]
    return legal_basis_for("placement", on)


def _legal_basis(intervention: Intervention, start_on: date, consent: str) -> LegalBasis | None:
    concept = intervention.legal_concept
    if concept == LegalConcept.NONE:
        return None
    if concept == LegalConcept.PLACEMENT and consent:
        return _placement_basis(consent, start_on)
    return legal_basis_for(concept, start_on)


def _open_sibling_task(episode: Episode) -> None:
    """§ 21, stk. 2: a placement for lack of care or abuse opens the siblings' investigation."""
    from trappen.investigations.models import SiblingInvestigationTask

    if episode.placement_reason not in SIBLING_REASONS or not episode.intervention.placement_type:
        return
    SiblingInvestigationTask.objects.get_or_create(
        episode=episode, defaults={"case": episode.case, "opened_on": episode.start_on}
    )
    notify(
        episode.case.caseworker,
        _("Placed for lack of care or abuse: investigate the siblings under 15 (§ 21, stk. 2)"),
        episode.case,
    )


def _content(decision: dict[str, object]) -> dict[str, object]:
    """The decision's content as stored on a visitation request (dates as ISO text)."""
    out = {k: decision.get(k) for k in DECISION_FIELDS if decision.get(k)}
    if isinstance(end := out.get("expected_end_on"), date):
        out["expected_end_on"] = end.isoformat()
    return out


def _from_content(content: dict[str, object]) -> dict[str, object]:
    out = dict(content)
    if isinstance(out.get("expected_end_on"), str):
        out["expected_end_on"] = date.fromisoformat(out["expected_end_on"])  # type: ignore[arg-type]
    return out


# --- Starting and ending --------------------------------------------------------------------


def _validate(
    case: Case,
    intervention: Intervention,
    start_on: date,
    end_on: date | None,
    end_reason: str,
    planned_discharge_on: date | None,
    intended_next_step: int | None,
) -> None:
    if not case.is_open:
        raise ValidationError(_("A closed case cannot get new measures."))
    _check_dates(start_on, end_on)
    if end_on is not None and not end_reason:
        raise ValidationError(_("Give the reason the measure ended."))
    check_exit_plan(intervention, start_on, planned_discharge_on, intended_next_step)


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
    movement_reason: str = "",
    movement_note: str = "",
    planned_discharge_on: date | None = None,
    intended_next_step: int | None = None,
    purpose: str = "",
    expected_end_on: date | None = None,
    consent: str = "",
    placement_reason: str = "",
    child_heard: str = "",
    child_not_heard_reason: str = "",
) -> Episode:
    """Start a measure now (below the visitation threshold, or approved by the committee)."""
    _validate(
        case, intervention, start_on, end_on, end_reason, planned_discharge_on, intended_next_step
    )
    changes = changes_on_start(case.child, intervention.step_id, start_on, end_on)
    _require_reason(changes, movement_reason)
    institution = is_institution(intervention)
    placement = bool(intervention.placement_type)
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
        legal_basis=_legal_basis(intervention, start_on, consent if placement else ""),
        planned_discharge_on=planned_discharge_on if institution else None,
        intended_next_step=intended_next_step if institution else None,
        purpose=purpose,
        expected_end_on=expected_end_on,
        consent=consent if placement else "",
        placement_reason=placement_reason if placement else "",
        child_heard=child_heard,
        child_not_heard_reason=child_not_heard_reason,
    )
    _record_movements(episode, changes, movement_reason, movement_note, by)
    _open_sibling_task(episode)
    if case.status != Case.Status.MEASURES:
        case.status = Case.Status.MEASURES
        case.save(update_fields=["status"])
    return episode


@transaction.atomic
def end(
    episode: Episode,
    *,
    end_on: date,
    end_reason: str,
    movement_reason: str = "",
    movement_note: str = "",
    by: User | None = None,
) -> None:
    if episode.end_on is not None:
        raise ValidationError(_("The measure has already ended."))
    _check_dates(episode.start_on, end_on)
    changes = changes_on_end(episode, end_on)
    _require_reason(changes, movement_reason)
    episode.end_on = end_on
    episode.end_reason = end_reason
    episode.save(update_fields=["end_on", "end_reason"])
    _record_movements(episode, changes, movement_reason, movement_note, by)


# --- The visitation committee ---------------------------------------------------------------


def needs_visitation(case: Case, daily_cost: Decimal | int) -> bool:
    """Above the municipality's threshold: more than `visitation_threshold` kr. a month."""
    return monthly_cost(daily_cost) > case.team.municipality.visitation_threshold


@transaction.atomic
def record(
    case: Case,
    *,
    intervention: Intervention,
    start_on: date,
    end_on: date | None,
    end_reason: str,
    provider: str,
    daily_cost: Decimal,
    by: User,
    movement_reason: str = "",
    movement_note: str = "",
    planned_discharge_on: date | None = None,
    intended_next_step: int | None = None,
    **decision: object,
) -> Episode | VisitationRequest:
    """A caseworker's new measure: started now, or sent to the visitation committee.

    `decision` is the decision's content (DECISION_FIELDS), kept with a request until the
    committee approves."""
    unknown = set(decision) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    data = {
        "intervention": intervention,
        "start_on": start_on,
        "end_on": end_on,
        "end_reason": end_reason,
        "provider": provider,
        "daily_cost": daily_cost,
        "movement_reason": movement_reason,
        "movement_note": movement_note,
        "planned_discharge_on": planned_discharge_on,
        "intended_next_step": intended_next_step,
    }
    if not needs_visitation(case, daily_cost):
        return start(case, by=by, **data, **decision)  # type: ignore[arg-type]
    # The same checks as when it starts, so the committee decides on a complete request.
    _validate(
        case, intervention, start_on, end_on, end_reason, planned_discharge_on, intended_next_step
    )
    _require_reason(
        changes_on_start(case.child, intervention.step_id, start_on, end_on), movement_reason
    )
    if case.visitation_requests.filter(
        intervention=intervention, status=VisitationRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("A request for this intervention is already waiting for the visitation committee.")
        )
    if not is_institution(intervention):
        data["planned_discharge_on"] = data["intended_next_step"] = None
    data["end_reason"] = end_reason if end_on else ""
    request = VisitationRequest.objects.create(
        case=case,
        requested_by=by,
        threshold=case.team.municipality.visitation_threshold,
        decision_content=_content(decision),
        **data,
    )
    for leader in case.team.leaders():
        notify(leader, _("A measure awaits the visitation committee"), case)
    return request


def _decidable(request: VisitationRequest) -> None:
    if not request.is_pending:
        raise ValidationError(_("The visitation committee has already decided on this request."))


@transaction.atomic
def approve(
    request: VisitationRequest, *, by: User, note: str = "", decided_on: date | None = None
) -> Episode:
    """The committee approved: the measure starts as requested and now counts as active."""
    request = VisitationRequest.objects.select_for_update().get(pk=request.pk)
    _decidable(request)
    case = request.case
    reason, move_note = request.movement_reason, request.movement_note
    changes = changes_on_start(
        case.child, request.intervention.step_id, request.start_on, request.end_on
    )
    if not reason and movements.first_move_between_steps(changes) is not None:
        # The child's other measures changed while the request waited; the move still gets
        # a reason so that every move between steps has one.
        reason = Movement.Reason.OTHER
        move_note = _("No reason was given with the request; recorded at the approval.")
    try:
        episode = start(
            case,
            intervention=request.intervention,
            start_on=request.start_on,
            end_on=request.end_on,
            end_reason=request.end_reason,
            provider=request.provider,
            daily_cost=request.daily_cost,
            by=request.requested_by,
            movement_reason=reason,
            movement_note=move_note,
            planned_discharge_on=request.planned_discharge_on,
            intended_next_step=request.intended_next_step,
            **_from_content(request.decision_content or {}),  # type: ignore[arg-type]
        )
    except ValidationError as error:
        raise ValidationError(error.messages) from error
    request.status = VisitationRequest.Status.APPROVED
    request.decided_by = by
    request.decided_on = decided_on or timezone.localdate()
    request.note = note
    request.episode = episode
    request.save(update_fields=["status", "decided_by", "decided_on", "note", "episode"])
    notify(
        request.requested_by,
        _("The visitation committee approved %(measure)s") % {"measure": request.intervention},
        case,
    )
    return episode


@transaction.atomic
def refuse(
    request: VisitationRequest, *, by: User, note: str, decided_on: date | None = None
) -> None:
    request = VisitationRequest.objects.select_for_update().get(pk=request.pk)
    _decidable(request)
    if not note.strip():
        raise ValidationError(_("Give the committee's reason for the refusal."))
    request.status = VisitationRequest.Status.REFUSED
    request.decided_by = by
    request.decided_on = decided_on or timezone.localdate()
    request.note = note
    request.save(update_fields=["status", "decided_by", "decided_on", "note"])
    notify(
        request.requested_by,
        _("The visitation committee refused %(measure)s") % {"measure": request.intervention},
        request.case,
    )
