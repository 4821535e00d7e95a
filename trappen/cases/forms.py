from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.common.forms import date_field, not_in_future
from trappen.organisation.models import District, User
from trappen.organisation.models import Profession as StaffProfession

from .models import Case, Complaint, EarlyStep, Handover, JournalEntry, Profession

# The most characters of one free text (a journal entry, a note, a conclusion): about ten
# typed pages. The text fields of the models have no limit of their own (docs/security.md).
FREE_TEXT_MAX_LENGTH = 20_000


def bound_free_text(form: forms.BaseForm) -> None:
    """Give every text field of `form` without a max_length FREE_TEXT_MAX_LENGTH: refused with
    the field's own error ("at most 20000 characters"), and the browser stops typing there."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = FREE_TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(FREE_TEXT_MAX_LENGTH))
            field.widget.attrs["maxlength"] = str(FREE_TEXT_MAX_LENGTH)


class BoundedText:
    """Mix into a form: its free-text fields are bounded (bound_free_text), also those its
    own __init__ adds after this one ran (bounded again before validation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_free_text(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        bound_free_text(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class JournalForm(BoundedText, forms.ModelForm):
    class Meta:
        model = JournalEntry
        fields = ["heading", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class EarlyStepForm(BoundedText, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EarlyStep.Kind.choices)
    held_on = date_field(_("Date"), validators=[not_in_future])
    professions = forms.MultipleChoiceField(
        label=_("Professions involved"),
        choices=Profession.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    talk_number = forms.IntegerField(
        label=_("Talk number (1-5)"), min_value=1, max_value=5, required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == EarlyStep.Kind.PSYCHOLOGIST_TALK and not data.get("talk_number"):
            self.add_error("talk_number", _("State which of the 1-5 clarifying talks this is."))
        return data


class VersionedForm(forms.Form):
    """A form that changes a record carries the version it was rendered with (no lost updates);
    the service refuses it when the record changed since. Missing: no check (docs/integrity.md)."""

    version = forms.IntegerField(
        min_value=0, max_value=2**31 - 1, required=False, widget=forms.HiddenInput
    )


class CloseForm(BoundedText, VersionedForm):
    closed_on = date_field(_("Closed on"), validators=[not_in_future])
    reason = forms.ChoiceField(label=_("Reason for closure"), choices=Case.ClosureReason.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TransferForm(VersionedForm):
    to_district = forms.ModelChoiceField(label=_("New district"), queryset=District.objects.all())
    receiving_team_leader = forms.ModelChoiceField(
        label=_("Receiving team leader"),
        queryset=User.objects.filter(profession=StaffProfession.TEAM_LEADER, is_active=True),
    )
    handover_meeting_on = date_field(_("Handover meeting"))

    def clean_handover_meeting_on(self) -> Any:
        value = self.cleaned_data["handover_meeting_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The handover meeting cannot be in the past."))
        return value


class AssignForm(VersionedForm):
    """Choose a caseworker. The widget offers the team with caseloads; the service checks team."""

    # Any active user validates here, so a wrong choice gets the service's clear message.
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=User.objects.filter(is_active=True)
    )

    def __init__(self, *args: Any, loads: dict[User, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if loads is not None:
            self.fields["caseworker"].widget.choices = [("", "---------")] + [
                (worker.pk, f"{worker} ({load})") for worker, load in loads.items()
            ]


class ComplaintForm(BoundedText, forms.Form):
    """A complaint registered on the case (F8 point 8); the service checks the combinations."""

    received_on = date_field(_("Received"), initial=timezone.localdate, validators=[not_in_future])
    kind = forms.ChoiceField(
        label=_("About"), choices=Complaint.Kind.choices, widget=forms.RadioSelect
    )
    decision = forms.CharField(
        label=_("Which decision"),
        required=False,
        max_length=200,
        help_text=_("For a complaint about a decision: the decision and its date."),
    )
    complainant = forms.ChoiceField(label=_("From"), choices=Complaint.Complainant.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Not decided yet")), *Complaint.Outcome.choices],
    )
    outcome_on = date_field(_("Outcome date"), required=False, validators=[not_in_future])
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ComplaintOutcomeForm(BoundedText, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Not decided yet")), *Complaint.Outcome.choices],
    )
    outcome_on = date_field(_("Outcome date"), required=False, validators=[not_in_future])
    ruling = forms.ChoiceField(
        label=_("Ankestyrelsen's ruling"),
        required=False,
        choices=[("", _("No ruling yet")), *Complaint.Ruling.choices],
        help_text=_("Only for a complaint the municipality sent on to Ankestyrelsen."),
    )
    ruling_on = date_field(_("Date of the ruling"), required=False, validators=[not_in_future])
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandoverForm(BoundedText, forms.Form):
    """The team leader hands cases of one caseworker to another (the view gives the choices:
    the policy's cases and caseworkers of the leader's team)."""

    cases = forms.ModelMultipleChoiceField(
        label=_("Cases"), queryset=Case.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    to_caseworker = forms.ModelChoiceField(label=_("To caseworker"), queryset=User.objects.none())
    reason = forms.ChoiceField(label=_("Reason for the handover"), choices=Handover.Reason.choices)
    handover_on = date_field(_("Handover date"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the caseworker taking over must know: agreements, deadlines, risks."),
    )

    def __init__(
        self,
        *args: Any,
        cases: Any,
        caseworkers: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if cases is not None:
            field = self.fields["cases"]
            field.queryset = cases  # type: ignore[attr-defined]
            field.label_from_instance = lambda c: f"{c.child.full_name} · {c}"  # type: ignore[attr-defined]
        if caseworkers is not None:
            self.fields["to_caseworker"].queryset = caseworkers  # type: ignore[attr-defined]
