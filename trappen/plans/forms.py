from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field


class RevisionForm(BoundedText, forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the support"), widget=forms.Textarea(attrs={"rows": 3})
    )
    # The revision the editor started from (0: none): a newer one saved meanwhile is a conflict.
    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class GoalForm(BoundedText, forms.Form):
    """A SMART goal, asked as the seed's four questions."""

    goal = forms.CharField(label=_("What is the goal?"), widget=forms.Textarea(attrs={"rows": 2}))
    who = forms.CharField(label=_("Who works on it?"), max_length=200)
    progress_sign = forms.CharField(
        label=_("How can progress be seen?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = date_field(_("When is it expected to be met?"))


GOAL_FIELDS = ("goal", "who", "progress_sign", "due_on")


class BaseGoalFormSet(forms.BaseFormSet):
    def kept_goals(self) -> list[dict[str, object]]:
        return [
            {k: f.cleaned_data[k] for k in GOAL_FIELDS}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if not any(f.errors for f in self.forms) and not self.kept_goals():
            raise forms.ValidationError(_("The plan needs at least one goal."))


# formset_factory makes a subclass of BaseGoalFormSet; its stub says only BaseFormSet.
GoalFormSet = cast(
    "type[BaseGoalFormSet]",
    forms.formset_factory(GoalForm, formset=BaseGoalFormSet, extra=1, can_delete=True),
)
