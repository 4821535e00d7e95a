"""Recording a child's SDQ: every rule checked before anything is stored (docs/wellbeing.md)."""

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access.policy.wellbeing import may_record_sdq
from trappen.cases.models import Case
from trappen.core import sdq, sdq_record
from trappen.organisation.models import User

from .models import Informant, SdqMeasurement

IMPACT_NAMES = ("difficulties", "distress", "home", "friendships", "learning", "leisure", "peers")


def informant_label(value: str) -> str:
    return str(Informant(value).label) if value in Informant.values else value


def _date_errors(informant: sdq.Informant, birth: date, on: date, today: date) -> list[str]:
    out = []
    for problem in sdq_record.problems(informant, birth, on, today):
        if isinstance(problem, sdq_record.MeasurementDateError):
            if problem.kind == "before_birth":
                out.append(
                    _("The date is before the child was born (%(birth)s).")
                    % {"birth": birth.strftime("%d.%m.%Y")}
                )
            else:
                out.append(_("The date is in the future: an SDQ is recorded once it is filled in."))
        elif isinstance(problem, sdq_record.AgeOutOfRange):
            out.append(
                _(
                    "The child is %(age)s years old on that day; the questionnaire "
                    "“%(informant)s” is for children of %(low)s-%(high)s years."
                )
                % {
                    "age": problem.age,
                    "informant": informant_label(informant.value),
                    "low": problem.low,
                    "high": problem.high,
                }
            )
    return out


def validate(
    *,
    birth: date,
    informant: str,
    measured_on: date,
    answers: Sequence[int | None],
    impact: Mapping[str, int | None] | None,
    today: date,
) -> sdq.Response:
    """The response, or ValidationError naming every problem (by field) in Danish."""
    errors: dict[str, list[str]] = {}
    try:
        parsed = sdq.parse_informant(informant)
    except sdq.UnknownInformant:
        errors["informant"] = [
            _("Unknown informant: choose parent, teacher or the child's own report.")
        ]
        raise ValidationError(errors) from None
    if len(answers) != sdq.ITEM_COUNT:
        errors["__all__"] = [
            _("An SDQ has %(expected)s items, not %(got)s.")
            % {"expected": sdq.ITEM_COUNT, "got": len(answers)}
        ]
    else:
        for number, answer in enumerate(answers, start=1):
            if not (answer is None or (type(answer) is int and answer in sdq.ANSWERS)):
                errors[f"item_{number}"] = [
                    _("Item %(n)s: the answer must be 0, 1 or 2 (or left empty).") % {"n": number}
                ]
    impact_obj = None
    if impact and any(v is not None for v in impact.values()):
        asked = sdq.IMPACT_ITEMS[parsed]
        for name, value in impact.items():
            if value is None:
                continue
            if name not in IMPACT_NAMES:
                errors["__all__"] = [*errors.get("__all__", []), _("Unknown impact question.")]
            elif name != "difficulties" and name not in asked:
                errors[f"impact_{name}"] = [
                    _("This impact question is not asked of this informant.")
                ]
            elif not (type(value) is int and value in sdq.IMPACT_ANSWERS):
                errors[f"impact_{name}"] = [_("The answer must be 0-3 (or left empty).")]
        difficulties = impact.get("difficulties")
        impact_obj = sdq.Impact(
            tuple(impact.get(name) for name in asked),
            None if difficulties is None else difficulties > 0,
        )
    date_errors = _date_errors(parsed, birth, measured_on, today)
    if date_errors:
        errors["measured_on"] = date_errors
    if errors:
        raise ValidationError(errors)
    return sdq.Response(parsed, tuple(answers), impact_obj)


@transaction.atomic
def record(
    case: Case,
    *,
    informant: str,
    measured_on: date,
    answers: Sequence[int | None],
    impact: Mapping[str, int | None] | None = None,
    respondent: str = "",
    by: User,
) -> SdqMeasurement:
    """Store a measurement of the case's child; nothing is stored when anything is wrong."""
    if not may_record_sdq(by, case):
        raise PermissionDenied
    child = case.child
    validate(
        birth=child.birth_date,
        informant=informant,
        measured_on=measured_on,
        answers=answers,
        impact=impact,
        today=timezone.localdate(),
    )
    clean_impact = {k: v for k, v in (impact or {}).items() if v is not None} or None
    measurement = SdqMeasurement(
        child=child,
        case=case,
        informant=informant,
        measured_on=measured_on,
        respondent=respondent.strip(),
        answers=list(answers),
        impact_answers=clean_impact,
        recorded_by=by,
    )
    measurement.set_scores()
    if SdqMeasurement.objects.filter(
        child=child, informant=informant, measured_on=measured_on
    ).exists():
        raise ValidationError(
            {"measured_on": [_("The child already has an SDQ from this informant on this day.")]}
        )
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:  # the same questionnaire saved twice at once
        raise ValidationError(
            {"measured_on": [_("The child already has an SDQ from this informant on this day.")]}
        ) from None
    return measurement
