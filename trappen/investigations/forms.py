from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field, not_in_future

from .models import NetworkMapEntry


class StartForm(forms.Form):
    started_on = date_field(_("Started on"), validators=[not_in_future])


class NetworkEntryForm(forms.ModelForm):
    class Meta:
        model = NetworkMapEntry
        fields = ["person", "relation", "kind", "contact"]


class CompleteForm(BoundedText, forms.Form):
    completed_on = date_field(_("Completed on"), validators=[not_in_future])
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5}))
