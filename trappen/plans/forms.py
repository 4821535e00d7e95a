from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field
from trappen.core import ics

from .models import SDQ_SUBSCALES


def area_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The areas of the framework in force today, grouped by the triangle's sides."""
    framework = ics.catalogue().framework_on(timezone.localdate())
    return [(side.name, [(a.key, a.name) for a in side.areas]) for side in framework.sides]


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
    areas = forms.MultipleChoiceField(
        label=_("Which areas of the investigation does it answer?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The plan builds on the investigation's results (Barnets Lov § 92, stk. 2): "
            "required when the investigation has rated the areas."
        ),
    )
    sdq_subscale = forms.ChoiceField(
        label=_("SDQ subscale it should move (optional)"),
        choices=[("", "---------"), *SDQ_SUBSCALES],
        required=False,
    )
    # The goal of the revision this one was edited from (empty: a new goal), so that the
    # goal's ratings at the follow-ups stay one line through the revisions.
    carried = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, require_areas: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.require_areas = require_areas
        cast(forms.MultipleChoiceField, self.fields["areas"]).choices = area_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.require_areas and data.get("goal") and not data.get("areas"):
            self.add_error(
                "areas",
                _("Link the goal to at least one area: the investigation has rated them."),
            )
        return data


GOAL_FIELDS = ("goal", "who", "progress_sign", "due_on", "areas", "sdq_subscale")


class BaseGoalFormSet(forms.BaseFormSet):
    def kept_goals(self) -> list[dict[str, object]]:
        return [
            {k: f.cleaned_data[k] for k in (*GOAL_FIELDS, "carried")}
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
