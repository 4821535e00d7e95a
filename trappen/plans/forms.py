from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.common.forms import date_field


class RevisionForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the support"), widget=forms.Textarea(attrs={"rows": 3})
    )


class GoalForm(forms.Form):
    """A SMART goal, asked as the seed's four questions."""

    goal = forms.CharField(label=_("What is the goal?"), widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.CharField(label=_("Who works on it?"), max_length=200)
    progress_sign = forms.CharField(
        label=_("How can progress be seen?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = date_field(_("When is it expected to be met?"))


GoalFormSet = forms.formset_factory(
    GoalForm, extra=1, min_num=1, validate_min=True, can_delete=True
)
