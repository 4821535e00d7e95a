from datetime import time, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText

from .models import AgendaItem, Participant, School, Series, Submission

if TYPE_CHECKING:
    from trappen.cases.models import Case
    from trappen.organisation.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Series.Kind.choices)
    school = forms.ModelChoiceField(
        label=_("school or day-care"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Only for resource-centre meetings."),
    )
    place = forms.CharField(label=_("place"), max_length=150, required=False)
    first = forms.DateField(label=_("first meeting"), widget=DateInput)
    at = forms.TimeField(label=_("time"), initial=time(9, 0), widget=TimeInput)
    until = forms.DateField(label=_("plan until"), widget=DateInput)

    def __init__(self, *args: Any, team_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district__team_id=team_id)  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["first"].initial = today
        self.fields["until"].initial = today + timedelta(days=365)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Series.Kind.RESOURCE_CENTRE and not data.get("school"):
            self.add_error("school", _("Choose the school or day-care."))
        if data.get("first") and data.get("until") and data["until"] < data["first"]:
            self.add_error("until", _("The end comes before the first meeting."))
        return data


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DateInput)
    at = forms.TimeField(label=_("time"), widget=TimeInput)
    minutes_long = forms.IntegerField(label=_("duration (minutes)"), min_value=15, max_value=480)
    place = forms.CharField(label=_("place"), max_length=150, required=False)
    chair: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("chair"), queryset=None, required=False
    )

    def __init__(self, *args: Any, chairs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs  # type: ignore[attr-defined]


PROFESSION_CHOICES = [
    (v, label) for v, label in Participant.Role.choices if v != Participant.Role.OTHER
]


class ItemForm(BoundedText, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(
        label=_("title"),
        max_length=150,
        help_text=_("No name or CPR number: the title is shown to everyone at the meeting."),
    )
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    case: "forms.ModelChoiceField[Case]" = forms.ModelChoiceField(
        label=_("case (named only with consent)"),
        queryset=None,
        required=False,
        help_text=_(
            "The child is named on the agenda only when a consent to named discussion covers "
            "every participant from outside the case's own team; otherwise the item stays "
            "anonymous."
        ),
    )
    professions = forms.MultipleChoiceField(
        label=_("relevant professions"),
        choices=PROFESSION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        field.queryset = cases  # type: ignore[attr-defined]
        field.label_from_instance = lambda case: str(case)  # type: ignore[attr-defined]


class ParticipantForm(forms.Form):
    user: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("staff member"), queryset=None, required=False
    )
    name = forms.CharField(label=_("or name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Participant.Role.choices, required=False)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class AgreementForm(BoundedText, forms.Form):
    who = forms.CharField(label=_("who"), max_length=150)
    what = forms.CharField(label=_("what"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("by when"), widget=DateInput)


class MinutesForm(BoundedText, forms.Form):
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea, required=False)

    def __init__(
        self,
        *args: Any,
        items: list[Any],
        may_write_minutes: bool = True,
        may_write_decision: Any = None,
        **kwargs: Any,
    ) -> None:
        """A text the user may not change (the policy decides: chair, team leader, author) is
        shown disabled, and a posted value for it is ignored."""
        super().__init__(*args, **kwargs)
        self.fields["minutes"].disabled = not may_write_minutes
        for shown in items:
            self.fields[f"decision_{shown.item.pk}"] = forms.CharField(
                # A named child (consent covers the table) is named here too; the view notes it.
                label=f"{shown.item.title} · {shown.child_name}"
                if shown.named
                else shown.item.title,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=shown.item.decision,
                disabled=may_write_decision is not None and not may_write_decision(shown.item),
            )

    def decisions(self) -> dict[int, str]:
        return {
            int(name.removeprefix("decision_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("decision_")
        }


class SubmissionForm(BoundedText, forms.Form):
    school: "forms.ModelChoiceField[School]" = forms.ModelChoiceField(
        label=_("school or day-care"), queryset=None
    )
    kind = forms.ChoiceField(label=_("about"), choices=Submission.Kind.choices)
    title = forms.CharField(
        label=_("title"),
        max_length=150,
        help_text=_('For a child: initials or class only, e.g. "boy, 3.b".'),
    )
    description = forms.CharField(label=_("description"), widget=forms.Textarea)
    parents_shown = forms.BooleanField(
        label=_("The parents were shown the description first"), required=False
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class ParentsInformedForm(BoundedText, forms.Form):
    """The parents' information step of an item about a child (Herningmodellen 1.0: the description
    shown to the parents "med mulighed for bemærkninger og med besked om forventet dato for
    fremlæggelse")."""

    informed_on = forms.DateField(
        label=_("The parents were informed on"), widget=DateInput, initial=timezone.localdate
    )
    remarks = forms.CharField(
        label=_("The parents' remarks"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class ParentsCalledForm(BoundedText, forms.Form):
    """The second parents' step: the teacher calls the parents on the day of the meeting
    (Herningmodellen 1.0: "kontakter forældrene på dagen for mødets afholdelse med henblik på at
    orientere om anbefalinger, mødedatoer og eventuelle tiltag til godkendelse")."""

    called_on = forms.DateField(
        label=_("The parents were called on"), widget=DateInput, initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("What the parents were told"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class CoordinatorForm(forms.Form):
    coordinator: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("coordinator"), queryset=None
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = people  # type: ignore[attr-defined]
