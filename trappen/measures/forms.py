from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.catalogue.models import Intervention, Step
from trappen.common.forms import date_field

from .models import SUPPORT_CONCEPTS, Episode, Movement
from .services import check_exit_plan

# The offers of step 0 (the ordinary everyday life's universal offers) cost the case nothing.
FREE_STEP = 0


class ByStep(ModelChoiceIterator):
    """The offers grouped by their step, read when the select is drawn (not at import)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[Any]] = {}
        for offer in self.queryset.order_by("step_id", "name"):
            groups.setdefault(str(offer.step), []).append(self.choice(offer))
        yield from groups.items()


class InterventionChoiceField(forms.ModelChoiceField):
    """The catalogue's offers grouped by their step (one <optgroup> each), not one long list."""

    iterator = ByStep

    def label_from_instance(self, obj: Intervention) -> str:
        return f"{obj.step_id} · {obj.name}"


def movement_reason_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Reason for the move on the staircase"),
        choices=[("", "---------"), *Movement.Reason.choices],
        required=False,
        help_text=_("Required when the child moves from one step to another."),
    )


def movement_note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note on the move"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def next_step_field(required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Intended next step"),
        coerce=int,
        empty_value=None,
        required=required,
        help_text=_("Institution placements: the step the child is meant to move on to."),
    )


def _step_choices() -> list[tuple[Any, str]]:
    steps = Step.objects.filter(number__lte=4).order_by("number")
    return [("", "---------"), *((s.number, f"{s.number} · {s.name}") for s in steps)]


class EpisodeForm(BoundedText, forms.Form):
    intervention = InterventionChoiceField(
        label=_("Intervention"), queryset=Intervention.objects.select_related("step")
    )
    start_on = date_field(_("Start"))
    end_on = date_field(_("End"), required=False)
    end_reason = forms.ChoiceField(
        label=_("Reason for ending"),
        choices=[("", "---------"), *Episode.EndReason.choices],
        required=False,
    )
    provider = forms.CharField(
        label=_("Provider"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the intervention's provider."),
    )
    daily_cost = forms.DecimalField(
        label=_("Daily cost (kr.)"),
        required=False,  # required unless the offer is free (clean)
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_(
            "A monthly cost (daily cost × 30) above the municipality's threshold needs the "
            "visitation committee's approval before the measure starts."
        ),
    )
    movement_reason = movement_reason_field()
    movement_note = movement_note_field()
    planned_discharge_on = date_field(
        _("Planned discharge"),
        required=False,
        help_text=_("Institution placements: the discharge is planned from admission."),
    )
    intended_next_step = next_step_field(required=False)
    # The decision's content the law asks for.
    purpose = forms.CharField(
        label=_("Purpose of the measure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Barnets Lov § 32, stk. 3: the decision states the purpose of the support."),
    )
    expected_end_on = date_field(
        _("Expected duration: until"),
        required=False,
        help_text=_("Barnets Lov § 32, stk. 3: the decision states the expected duration."),
    )
    consent = forms.ChoiceField(
        label=_("Placement with or without consent"),
        choices=[("", "---------"), *Episode.Consent.choices],
        required=False,
        help_text=_("Placements: with consent (§ 46) or without (§ 47)."),
    )
    placement_reason = forms.ChoiceField(
        label=_("Reason for the placement"),
        choices=[("", "---------"), *Episode.PlacementReason.choices],
        required=False,
        help_text=_(
            "Placements: lack of care or abuse opens the investigation of the siblings "
            "under 15 (§ 21, stk. 2)."
        ),
    )
    child_heard = forms.ChoiceField(
        label=_("The child heard before the decision"),
        choices=Episode.ChildHeard.choices,
        widget=forms.RadioSelect,
        required=False,  # prompted, with a warning when missing (not a hard stop)
        help_text=_(
            "Barnets Lov § 5 and the model: a conversation with the child before the decision, "
            "noted in the journal under 'Hearing of the child'."
        ),
    )
    child_not_heard_reason = forms.CharField(
        label=_("Why the child was not heard"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["intended_next_step"].choices = _step_choices()  # type: ignore[attr-defined]
        # layout.js hides the price while a free offer is chosen.
        free = Intervention.objects.filter(step_id=FREE_STEP).values_list("pk", flat=True)
        self.fields["daily_cost"].widget.attrs.update(
            {
                "data-free-with": self["intervention"].auto_id,
                "data-free-options": " ".join(str(pk) for pk in free),
            }
        )

    def _clean_cost(self, data: dict[str, Any]) -> None:
        intervention = data.get("intervention")
        if intervention is None or data.get("daily_cost") is not None:
            return
        if intervention.step_id == FREE_STEP:
            data["daily_cost"] = Decimal(0)
        elif "daily_cost" not in self.errors:
            self.add_error("daily_cost", self.fields["daily_cost"].error_messages["required"])

    def _clean_decision(self, data: dict[str, Any]) -> None:
        intervention = data.get("intervention")
        if intervention is None:
            return
        if intervention.legal_concept in SUPPORT_CONCEPTS:
            if not (data.get("purpose") or "").strip():
                self.add_error("purpose", _("State the purpose of the measure (§ 32, stk. 3)."))
            if not data.get("expected_end_on"):
                self.add_error("expected_end_on", _("State the expected duration (§ 32, stk. 3)."))
        if intervention.placement_type:
            if not data.get("consent"):
                self.add_error("consent", _("Is the placement with or without consent?"))
            if not data.get("placement_reason"):
                self.add_error("placement_reason", _("Give the reason for the placement."))
            if data.get("consent") == Episode.Consent.WITHOUT and not self._has_plan():
                self.add_error(
                    "consent",
                    _(
                        "A placement without consent needs the child's plan before the "
                        "decision (§ 91, stk. 2): make the action plan first."
                    ),
                )
        if (
            data.get("child_heard") == Episode.ChildHeard.NOT_HEARD
            and not (data.get("child_not_heard_reason") or "").strip()
        ):
            self.add_error("child_not_heard_reason", _("Say why the child was not heard."))

    def _has_plan(self) -> bool:
        plan = getattr(self.case, "action_plan", None) if self.case is not None else None
        return bool(plan and plan.current())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_cost(data)
        self._clean_decision(data)
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("A measure cannot end before it starts."))
        if end and not data.get("end_reason"):
            self.add_error("end_reason", _("Give the reason the measure ended."))
        intervention = data.get("intervention")
        if intervention and start:
            try:
                check_exit_plan(
                    intervention,
                    start,
                    data.get("planned_discharge_on"),
                    data.get("intended_next_step"),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    if field not in self.errors:
                        self.add_error(field, messages)
        return data


class EndForm(BoundedText, forms.Form):
    end_on = date_field(_("End"))
    end_reason = forms.ChoiceField(label=_("Reason for ending"), choices=Episode.EndReason.choices)
    movement_reason = movement_reason_field()
    movement_note = movement_note_field()


class ExitPlanForm(forms.Form):
    planned_discharge_on = date_field(_("Planned discharge"))
    intended_next_step = next_step_field(required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intended_next_step"].choices = _step_choices()  # type: ignore[attr-defined]


class DecisionForm(BoundedText, forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label=_("The committee's decision"),
        choices=[(APPROVE, _("Approved")), (REFUSE, _("Refused"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("The committee's note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the committee refuses."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.REFUSE and not data.get("note", "").strip():
            self.add_error("note", _("Give the committee's reason for the refusal."))
        return data
