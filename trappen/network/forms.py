from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.cases.models import Case
from trappen.common.forms import DateInput, DateTimeInput
from trappen.organisation.models import District, Profession, User

from .models import NetworkMeeting, Participant, Slot
from .services import INVITATION_FIELDS, MINUTES_FIELDS, Person

STAFF_PROFESSIONS = [
    Profession.CASEWORKER,
    Profession.TEAM_LEADER,
    Profession.PSYCHOLOGIST,
    Profession.HEALTH_VISITOR,
]


class InvitationForm(BoundedText, forms.ModelForm):
    class Meta:
        model = NetworkMeeting
        fields = list(INVITATION_FIELDS)
        widgets = {
            "concern": forms.Textarea(attrs={"rows": 3}),
            "concern_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "procedure": forms.Textarea(attrs={"rows": 3}),
        }


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "---------"), *Participant.Role.choices], required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    user = forms.ModelChoiceField(
        label=_("Staff member (puts the meeting in their calendar)"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, team_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(  # type: ignore[misc]  # team None: IS NULL
            team_id=team_id, profession__in=STAFF_PROFESSIONS, is_active=True
        ).order_by("first_name", "last_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") and not data.get("name"):
            data["name"] = str(data["user"])
        if data.get("name") and not data.get("role"):
            self.add_error("role", _("Give the participant's role."))
        return data


class BaseParticipantFormSet(forms.BaseFormSet):
    def people(self) -> list[Person]:
        return [
            Person(f.cleaned_data["role"], f.cleaned_data["name"], f.cleaned_data.get("user"))
            for f in self.forms
            # A row with a role only lists the child or the parents by role (before consent).
            if f.cleaned_data.get("name") or f.cleaned_data.get("role")
        ]


# At most 30 participants, and more are refused (not only not offered): without validate_max
# and absolute_max a posted form set of up to 1,030 rows was accepted.
MAX_PARTICIPANTS = 30
ParticipantFormSet = forms.formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=4,
    max_num=MAX_PARTICIPANTS,
    validate_max=True,
    absolute_max=MAX_PARTICIPANTS,
)


def participant_formset(
    case: Case | None, data: Any = None, initial: Any = None, team_id: int | None = None
) -> Any:
    team = case.team_id if case is not None else team_id
    return ParticipantFormSet(data, initial=initial, prefix="p", form_kwargs={"team_id": team})


class BeforeCaseForm(forms.Form):
    """A meeting called before any case: the district, an optional reserved slot, and the
    child described without a name."""

    district = forms.ModelChoiceField(label=_("School district"), queryset=District.objects.none())
    slot = forms.ModelChoiceField(
        label=_("Reserved slot (optional)"), queryset=Slot.objects.none(), required=False
    )
    child_description = forms.CharField(
        label=_("The child, described without a name"),
        max_length=200,
        help_text=_("E.g. 'a girl in 3rd grade'. No name, CPR number or address."),
    )

    def __init__(self, *args: Any, districts: Any, slots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["slot"].queryset = slots  # type: ignore[attr-defined]


class ConsentForm(forms.Form):
    consent_on = forms.DateField(label=_("The parents consented on"), widget=DateInput())
    consent_note = forms.CharField(label=_("How the parents consented"), max_length=300)


class SlotsForm(forms.Form):
    district = forms.ModelChoiceField(label=_("School district"), queryset=District.objects.none())
    first = forms.DateField(label=_("First day"), widget=DateInput())
    until = forms.DateField(label=_("Until"), widget=DateInput())
    at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=240)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("until") and data["until"] < data["first"]:
            self.add_error("until", _("The last day is before the first."))
        if data.get("first") and data.get("until") and (data["until"] - data["first"]).days > 366:
            self.add_error("until", _("Reserve at most a year at a time."))
        return data


class MinutesForm(BoundedText, forms.ModelForm):
    class Meta:
        model = NetworkMeeting
        fields = list(MINUTES_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in ("concerns", "works", "want_to_see", "agreements")
        }
