from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Intervention, Step

MAX_AGE = 30


class CatalogueFilter(forms.Form):
    """The catalogue page's search and filters (GET: nothing here is personal data)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, description or provider")}),
    )
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        widget=forms.NumberInput(),
    )
    provider = forms.ChoiceField(label=_("Provider"), required=False, widget=forms.Select())
    placement = forms.ChoiceField(
        label=_("Placement"),
        required=False,
        choices=[("", _("All")), ("yes", _("Placements")), ("no", _("Not placements"))],
    )
    step = forms.TypedChoiceField(
        label=_("Step"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = (
            Intervention.objects.exclude(provider="")
            .order_by("provider")
            .values_list("provider", flat=True)
            .distinct()
        )
        provider, step = self.fields["provider"], self.fields["step"]
        assert isinstance(provider, forms.ChoiceField) and isinstance(step, forms.ChoiceField)
        provider.choices = [("", _("All")), *((p, p) for p in providers)]
        steps = ((s.number, str(s)) for s in Step.objects.all())
        step.choices = [("", _("All")), *steps]

    def filter(self, interventions: QuerySet[Intervention]) -> QuerySet[Intervention]:
        """Narrow by every filter that is valid; an invalid one is shown as an error, not used."""
        self.is_valid()
        data = self.cleaned_data
        if q := (data.get("q") or "").strip():
            interventions = interventions.filter(
                Q(name__icontains=q) | Q(description__icontains=q) | Q(provider__icontains=q)
            )
        if (age := data.get("age")) is not None:
            interventions = interventions.filter(
                Q(target_age_min__isnull=True) | Q(target_age_min__lte=age),
                Q(target_age_max__isnull=True) | Q(target_age_max__gte=age),
            )
        if provider := data.get("provider"):
            interventions = interventions.filter(provider=provider)
        if data.get("placement") == "yes":
            interventions = interventions.exclude(placement_type="")
        elif data.get("placement") == "no":
            interventions = interventions.filter(placement_type="")
        if (step := data.get("step")) is not None:
            interventions = interventions.filter(step_id=step)
        return interventions
