from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field, not_in_future

from .models import Activity


class ActivityForm(BoundedText, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    held_on = date_field(_("Date"), validators=[not_in_future])
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Activity.Kind.choices)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, labels[k]) for k in kinds]
