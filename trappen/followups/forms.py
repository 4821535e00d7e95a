from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field, not_in_future

from .models import FollowUp, FollowUpException


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
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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
