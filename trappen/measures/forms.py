from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.catalogue.models import Intervention
from trappen.common.forms import date_field

from .models import Episode


class InterventionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Intervention) -> str:  # type: ignore[override]
        return f"{obj.step_id} · {obj.name}"


class EpisodeForm(forms.Form):
    intervention = InterventionChoiceField(
        label=_("Intervention"), queryset=Intervention.objects.select_related("step")
    )
    start_on = date_field(_("Start"))
    end_on = date_field(_("End"), required=False)
    end_reason = forms.ChoiceField(
        label=_("Reason for ending"),
        choices=[("", "---------"), *Episode.EndReason.choices],
        required=False,
    )
    provider = forms.CharField(
        label=_("Provider"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the intervention's provider."),
    )
    daily_cost = forms.DecimalField(
        label=_("Daily cost (kr.)"), min_value=0, max_digits=9, decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("A measure cannot end before it starts."))
        if end and not data.get("end_reason"):
            self.add_error("end_reason", _("Give the reason the measure ended."))
        return data


class EndForm(forms.Form):
    end_on = date_field(_("End"))
    end_reason = forms.ChoiceField(label=_("Reason for ending"), choices=Episode.EndReason.choices)
