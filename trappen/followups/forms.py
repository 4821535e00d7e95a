from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field, not_in_future
from trappen.core import goal_attainment
from trappen.plans.models import Goal

from .models import FollowUp, FollowUpException

RHYTHMS = [
    ("", "---------"),
    ("1m", _("month")),
    ("2m", _("2 months")),
    ("3m", _("3 months")),
    ("4m", _("4 months")),
    ("6m", _("6 months")),
]


class FollowUpForm(BoundedText, forms.Form):
    held_on = date_field(_("Held on"), validators=[not_in_future])
    form = forms.ChoiceField(label=_("Form"), choices=FollowUp.Form.choices)
    child_conversation = forms.TypedChoiceField(
        label=_("Child conversation held?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    conversation_note = forms.CharField(
        label=_("Journal note: Child conversation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Saved in the journal under the heading 'Child conversation'."),
    )
    plan_review = forms.ChoiceField(
        label=_("Action plan reviewed"),
        choices=FollowUp.PlanReview.choices,
        widget=forms.RadioSelect,
    )
    next_agreed_on = date_field(
        _("Next follow-up agreed for"),
        required=False,
        help_text=_("Agree the next follow-up at this one (the model's practice)."),
    )
    # Barnets Lov § 95, stk. 3: the decision at the first follow-up on how it goes on.
    rhythm = forms.ChoiceField(
        label=_("The follow-up from now on: every"),
        choices=RHYTHMS,
        required=False,
        help_text=_(
            "Barnets Lov § 95, stk. 3: decided at the first follow-up; the legal due dates "
            "follow it (the model's rhythm still applies on top)."
        ),
    )
    rhythm_justification = forms.CharField(
        label=_("Justification to the child and the parents"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    child_wishes = forms.CharField(
        label=_("The child's wishes for the follow-up"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    # Barnets Lov § 156, stk. 5: a supervision visit at the placement.
    at_placement = forms.BooleanField(
        label=_("Supervision visit at the placement"),
        required=False,
        help_text=_(
            "Placements: at least two a year, with a conversation with the child (§ 156, stk. 5)."
        ),
    )
    staff_present = forms.ChoiceField(
        label=_("The conversation with the child"),
        choices=[("", "---------"), *FollowUp.Staff.choices],
        required=False,
        help_text=_("Where possible without the placement's staff."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self,
        *args: Any,
        needs_decision: bool = False,
        goals: Sequence[Goal] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.needs_decision = needs_decision
        self.goals = list(goals)
        scales = goal_attainment.scales()
        child = scales.child
        self.fields["child_rating"] = forms.TypedChoiceField(
            label=_("The child's own rating: how are things? (%(low)s-%(high)s)")
            % {"low": child.low, "high": child.high},
            choices=[
                ("", _("Not asked, or the child did not answer")),
                *((str(v), self._child_word(v, child)) for v in range(child.low, child.high + 1)),
            ],
            coerce=int,
            empty_value=None,
            required=False,
            help_text=_("Asked at the child conversation, in the child's own words."),
        )
        levels = [(str(lv.value), f"{lv.value:+d} {lv.name}") for lv in scales.goal.levels]
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Goal: %(goal)s") % {"goal": goal.goal},
                choices=levels,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("How far has the goal come, against what was expected by now?"),
                error_messages={"required": _("Rate the goal on the scale.")},
            )
        order = list(self.fields)
        order.remove("child_rating")
        order.insert(order.index("conversation_note") + 1, "child_rating")
        self.order_fields(order)

    @staticmethod
    def _child_word(value: int, child: goal_attainment.ChildScale) -> str:
        if value == child.low:
            return f"{value} ({child.low_words})"
        if value == child.high:
            return f"{value} ({child.high_words})"
        return str(value)

    def for_service(self, data: dict[str, Any]) -> dict[str, Any]:
        """The cleaned data as services.record takes it: the goals' ratings by goal pk."""
        kept = {k: v for k, v in data.items() if not k.startswith("goal_")}
        if self.goals:
            kept["goal_ratings"] = {g.pk: data[f"goal_{g.pk}"] for g in self.goals}
        return kept

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_decision:
            for name in ("rhythm", "rhythm_justification", "child_wishes"):
                if not (data.get(name) or "").strip():
                    self.add_error(
                        name,
                        _("The first follow-up decides how the follow-up goes on (§ 95, stk. 3)."),
                    )
        if data.get("at_placement") and not data.get("staff_present"):
            self.add_error("staff_present", _("Was the child spoken with without staff?"))
        if data.get("child_rating") is not None and data.get("child_conversation") is False:
            self.add_error(
                "child_rating", _("The child's own rating is asked at a child conversation.")
            )
        if data.get("child_conversation") and not (data.get("conversation_note") or "").strip():
            self.add_error(
                "conversation_note", _("Write the journal note of the child conversation.")
            )
        held, agreed = data.get("held_on"), data.get("next_agreed_on")
        if held and agreed and agreed <= held:
            self.add_error("next_agreed_on", _("The next follow-up must be after this one."))
        return data


class ExceptionForm(BoundedText, forms.Form):
    kind = forms.ChoiceField(label=_("Exception"), choices=FollowUpException.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(BoundedText, forms.Form):
    received_on = date_field(_("Received on"), validators=[not_in_future])
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
