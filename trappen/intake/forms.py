from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.cases.models import Child
from trappen.common.forms import DateInput, DateTimeInput, not_in_future
from trappen.core import cpr as cpr_rules
from trappen.core import intake as intake_rules
from trappen.core import notifiers
from trappen.organisation.models import District, Organisation, Profession, Team, User

from .models import Notification
from .services import Notifier

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
    kind = forms.ChoiceField(
        label=_("What came in"),
        choices=Notification.Kind.choices,
        initial=Notification.Kind.NOTIFICATION,
        required=False,  # a notification unless told otherwise
        help_text=_(
            "A notification (Barnets Lov § 133 for professionals, § 135 for citizens), an "
            "inquiry (e.g. parents asking for help) or a request for a network meeting."
        ),
    )
    source = forms.ChoiceField(
        label=_("Notifier"),
        choices=Notification.Source.choices,
        help_text=_("Anonymous: no name and no contact are recorded."),
    )
    notifier_name = forms.CharField(label=_("Notifier's name"), max_length=120, required=False)
    notifier_role = forms.CharField(
        label=_("Role"), max_length=100, required=False, help_text=_("E.g. teacher, mother.")
    )
    notifier_organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("The school, day-care, health visitors or PPR the notifier works in."),
    )
    notifier_organisation_name = forms.CharField(
        label=_("Other organisation"),
        max_length=120,
        required=False,
        help_text=_("E.g. the police station or the hospital ward, if not in the list."),
    )
    notifier_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    notifier_email = forms.EmailField(label=_("E-mail"), required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or Notification.Kind.NOTIFICATION

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_notifier(self, data, data.get("source", ""))
        cpr = data.get("cpr")
        if cpr and not Child.objects.filter(cpr=cpr).exists():
            # A child we do not know yet: we need a name and a district to route the case.
            for field in ("first_name", "last_name", "district"):
                if not data.get(field):
                    self.add_error(field, _("Required for a child not known before."))
        return data


NOTIFIER_FIELDS = (
    "notifier_name",
    "notifier_role",
    "notifier_organisation",
    "notifier_organisation_name",
    "notifier_phone",
    "notifier_email",
)


def clean_notifier(form: forms.Form, data: dict[str, Any], source: str) -> None:
    """The notifier's details by the rule of trappen.core.intake: a name unless anonymous,
    a phone or e-mail for a professional; nothing at all for an anonymous notifier."""
    missing = intake_rules.missing_notifier_details(
        anonymous=source == Notification.Source.ANONYMOUS,
        professional=notifiers.is_professional(source),
        name=data.get("notifier_name") or "",
        phone=data.get("notifier_phone") or "",
        email=data.get("notifier_email") or "",
    )
    if "name" in missing:
        form.add_error("notifier_name", _("Write the notifier's name, or choose Anonymous."))
    if "contact" in missing:
        form.add_error(
            "notifier_phone",
            _("A professional notifier gets a receipt: write a phone number or an e-mail."),
        )
    if source == Notification.Source.ANONYMOUS:
        filled = [f for f in NOTIFIER_FIELDS if data.get(f)]
        for field in filled:
            form.add_error(field, _("An anonymous notification records no name and no contact."))


def notifier_of(data: dict[str, Any]) -> Notifier:
    """The notifier's details out of a cleaned form's data (removed from it)."""
    return Notifier(
        name=data.pop("notifier_name", "") or "",
        role=data.pop("notifier_role", "") or "",
        organisation=data.pop("notifier_organisation", None),
        organisation_name=data.pop("notifier_organisation_name", "") or "",
        phone=data.pop("notifier_phone", "") or "",
        email=data.pop("notifier_email", "") or "",
    )


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
    """A professional's notification (school, day-care, PPR psychologist, health visitor):
    sent with their real organisation, their name, role and contact prefilled from their
    profile. Name and district are always required, so the form never tells whether the
    child is already known to the municipality."""

    kind = forms.ChoiceField(
        label=_("What do you send?"),
        choices=Notification.Kind.choices,
        initial=Notification.Kind.NOTIFICATION,
        required=False,  # a notification unless told otherwise
        widget=forms.RadioSelect,
        help_text=_(
            "A notification: you are concerned that the child may need special support "
            "(your duty to notify, Barnets Lov § 133). A request for a network meeting: you "
            "want the adults around the child to meet."
        ),
    )
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
    notifier_organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.all(),
        help_text=_("Your school, day-care, health visitors or PPR (from your profile)."),
    )
    notifier_name = forms.CharField(label=_("Your name"), max_length=120)
    notifier_role = forms.CharField(
        label=_("Your role"), max_length=100, help_text=_("E.g. teacher, pedagogue.")
    )
    notifier_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    notifier_email = forms.EmailField(label=_("E-mail"), required=False)

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or Notification.Kind.NOTIFICATION

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("notifier_organisation")
        if organisation is not None:
            clean_notifier(self, data, self.source_of(organisation))
        return data

    @staticmethod
    def source_of(organisation: Organisation) -> str:
        """A day-care notifies as a day-care, a school as a school (notifiers.json)."""
        return notifiers.kind_for_organisation(organisation.kind)

    @classmethod
    def initial_for(cls, user: Any) -> dict[str, Any]:
        return {
            "kind": Notification.Kind.NOTIFICATION,
            "notifier_organisation": user.organisation_id,
            "notifier_name": user.get_full_name(),
            "notifier_role": user.job_title,
            "notifier_phone": user.phone,
            "notifier_email": user.email,
        }


class ReassessmentForm(BoundedText, forms.Form):
    note = forms.CharField(
        label=_("Reassessment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Barnets Lov § 137, stk. 1: by someone who has not taken part in the case before."
        ),
    )


class UrgentHandledForm(BoundedText, forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The urgent action carried out and agreed with the team leader."),
    )


class ReceiptForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Receipt sent on"), widget=DateInput(), validators=[not_in_future]
    )


class DutyShiftForm(forms.Form):
    """A shift on the team's duty roster; an end at or before the start runs into the next
    day (16:00-08:00 is the night)."""

    caseworker = forms.ModelChoiceField(label=_("Caseworker on duty"), queryset=User.objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["caseworker"]
        assert isinstance(field, forms.ModelChoiceField)
        if team is not None:
            field.queryset = User.objects.filter(
                team=team,
                is_active=True,
                profession__in=[Profession.CASEWORKER, Profession.TEAM_LEADER],
            ).order_by("first_name", "last_name", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") is not None and data.get("start") == data.get("end"):
            self.add_error("end", _("A shift needs a length: the end equals the start."))
        return data
