from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field, not_in_future
from trappen.core import ics

from .models import NOTE_LENGTH, NetworkMapEntry, SiblingInvestigationTask, Tier


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


class AreasForm(BoundedText, forms.Form):
    """The structured investigation: a rating and a short note per area of the framework
    (Barnets Lov § 22, stk. 1). An area left without either is not assessed."""

    def __init__(
        self, *args: Any, framework: ics.Framework, levels: Sequence[ics.Level], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        choices = [("", _("Not assessed")), *((str(lv.value), lv.name) for lv in levels)]
        for side in framework.sides:
            for area in side.areas:
                self.fields[f"rating_{area.key}"] = forms.TypedChoiceField(
                    label=area.name,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
                self.fields[f"note_{area.key}"] = forms.CharField(
                    label=_("Note: %(area)s") % {"area": area.name},
                    required=False,
                    max_length=NOTE_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def sides(self) -> list[tuple[ics.Side, list[tuple[Any, Any]]]]:
        """The bound fields per side and area, for the template."""
        return [
            (side, [(self[f"rating_{a.key}"], self[f"note_{a.key}"]) for a in side.areas])
            for side in self.framework.sides
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for area in self.framework.areas:
            rating = data.get(f"rating_{area.key}")
            note = (data.get(f"note_{area.key}") or "").strip()
            if rating is not None and not note:
                self.add_error(f"note_{area.key}", _("Write a short note with the rating."))
            elif rating is None and note and f"rating_{area.key}" not in self.errors:
                self.add_error(
                    f"rating_{area.key}", _("Choose a rating for the note, or leave it empty.")
                )
        return data

    def ratings(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            a.key: (data.get(f"rating_{a.key}"), data.get(f"note_{a.key}") or "")
            for a in self.framework.areas
        }
