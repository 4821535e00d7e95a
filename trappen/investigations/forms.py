from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field, not_in_future

from .models import NetworkMapEntry, SiblingInvestigationTask, Tier


class StartForm(BoundedText, forms.Form):
    tier = forms.ChoiceField(
        label=_("Step"),
        choices=Tier.choices,
        initial=Tier.INVESTIGATION,
        required=False,
        help_text=_(
            "Screening (§ 18), afdækning of one or more matters (§ 19) or the child "
            "investigation (§ 20)."
        ),
    )
    started_on = date_field(_("Started on"), validators=[not_in_future])
    aware_on = date_field(
        _("The municipality became aware on"),
        required=False,
        validators=[not_in_future],
        help_text=_(
            "Child investigation: the 4 months run from this day (§ 20, stk. 3). Empty: the "
            "first notification about the child."
        ),
    )
    aware_on_reason = forms.CharField(
        label=_("Reason for another day"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_tier(self) -> str:
        return self.cleaned_data.get("tier") or Tier.INVESTIGATION


class AwarenessForm(BoundedText, forms.Form):
    aware_on = date_field(_("The municipality became aware on"), validators=[not_in_future])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PreliminaryForm(BoundedText, forms.Form):
    made_on = date_field(_("Made on"), validators=[not_in_future])
    text = forms.CharField(
        label=_("Preliminary assessment"), widget=forms.Textarea(attrs={"rows": 4})
    )


class NetworkEntryForm(forms.ModelForm):
    class Meta:
        model = NetworkMapEntry
        fields = ["person", "relation", "kind", "contact"]


class CompleteForm(BoundedText, forms.Form):
    completed_on = date_field(_("Completed on"), validators=[not_in_future])
    conclusion = forms.CharField(
        label=_("Decision and conclusion"), widget=forms.Textarea(attrs={"rows": 5})
    )


class SiblingTaskForm(BoundedText, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=SiblingInvestigationTask.Outcome.choices
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
