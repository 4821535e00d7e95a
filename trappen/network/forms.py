from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.cases.models import Case
from trappen.common.forms import DateInput, DateTimeInput
from trappen.organisation.models import Profession, User

from .models import NetworkMeeting, Participant
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
            if f.cleaned_data.get("name")
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


def participant_formset(case: Case, data: Any = None, initial: Any = None) -> Any:
    return ParticipantFormSet(
        data, initial=initial, prefix="p", form_kwargs={"team_id": case.team_id}
    )


class MinutesForm(BoundedText, forms.ModelForm):
    class Meta:
        model = NetworkMeeting
        fields = list(MINUTES_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in ("concerns", "works", "want_to_see", "agreements")
        }
