from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.cases.models import Child
from trappen.common.forms import DateInput, DateTimeInput, not_in_future
from trappen.core import cpr as cpr_rules
from trappen.organisation.models import District

from .models import Notification

CPR_MESSAGES = {
    "format": _("A CPR number has 10 digits, e.g. 010203-1234."),
    "date": _("The CPR number does not contain a real date of birth."),
    "future": _("The date of birth in the CPR number is in the future."),
}


class CprField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("CPR number"), max_length=11, **kwargs)

    def clean(self, value: Any) -> str:
        raw = super().clean(value)
        try:
            return cpr_rules.parse(raw, today=timezone.localdate()).digits
        except cpr_rules.CprError as error:
            raise forms.ValidationError(CPR_MESSAGES[error.code], code=error.code) from None


class UnrenderedTextInput(forms.TextInput):
    """A text input that never writes its value back into the page (like a password field,
    but visible while typing): a refused form does not repeat the CPR number."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return super().get_context(name, None, attrs)


class NotificationForm(forms.Form):
    # Comes back empty after a refusal: the CPR number is never shown again (F6).
    cpr = CprField(
        widget=UnrenderedTextInput(
            attrs={
                "autocomplete": "off",
                "placeholder": "ddmmåå-xxxx",
                "hx-post": reverse_lazy("intake:lookup"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#child-lookup",
            }
        )
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False
    )
    received_at = forms.DateTimeField(
        label=_("Received"), widget=DateTimeInput(), validators=[not_in_future]
    )
    source = forms.ChoiceField(label=_("Source"), choices=Notification.Source.choices)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cpr = data.get("cpr")
        if cpr and not Child.objects.filter(cpr=cpr).exists():
            # A child we do not know yet: we need a name and a district to route the case.
            for field in ("first_name", "last_name", "district"):
                if not data.get(field):
                    self.add_error(field, _("Required for a child not known before."))
        return data


class AssessmentForm(forms.Form):
    urgent_action = forms.TypedChoiceField(
        label=_("Is urgent action needed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Assessment note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ConcernForm(forms.Form):
    """A school or day-care contact's concern. Name and district are always required, so the
    form never tells whether the child is already known to the municipality."""

    cpr = CprField(widget=UnrenderedTextInput(attrs={"autocomplete": "off"}))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        help_text=_("The district the child lives in."),
    )
    content = forms.CharField(
        label=_("Your concern"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What have you seen or heard, and when?"),
    )


class ReassessmentForm(BoundedText, forms.Form):
    note = forms.CharField(
        label=_("Reassessment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Barnets Lov § 137, stk. 1: by someone who has not taken part in the case before."
        ),
    )


class ReceiptForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Receipt sent on"), widget=DateInput(), validators=[not_in_future]
    )
