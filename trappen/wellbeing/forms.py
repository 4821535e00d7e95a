"""The SDQ entry form: informant, date, who filled it in, the 25 answers by item number and the
impact supplement. The item texts are not shipped (docs/wellbeing.md): each item shows its
number and its subscale, or the municipality's licensed text when one is configured."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import BoundedText
from trappen.common.forms import date_field
from trappen.core import sdq

from . import texts
from .models import Informant

SUBSCALE_LABELS = {
    sdq.Scale.EMOTIONAL: _("emotional"),
    sdq.Scale.CONDUCT: _("conduct"),
    sdq.Scale.HYPERACTIVITY: _("hyperactivity"),
    sdq.Scale.PEER: _("peer relationships"),
    sdq.Scale.PROSOCIAL: _("prosocial"),
}
SUBSCALE_OF = {item: scale for scale, items in sdq.SUBSCALE_ITEMS.items() for item in items}
ANSWER_CHOICES = [("0", "0"), ("1", "1"), ("2", "2")]
IMPACT_CHOICES = [("0", "0"), ("1", "1"), ("2", "2"), ("3", "3")]
IMPACT_LABELS = {
    "difficulties": _("Difficulties at all (0 no, 1-3 minor, definite, severe)"),
    "distress": _("Distress"),
    "home": _("Home life"),
    "friendships": _("Friendships"),
    "learning": _("Classroom learning"),
    "leisure": _("Leisure activities"),
    "peers": _("Peer relationships"),
}


def item_label(number: int, licensed: texts.ItemTexts | None) -> str:
    if licensed is not None:
        return f"{number}. {licensed.items[number]}"
    reversed_mark = " (R)" if number in sdq.REVERSED_ITEMS else ""
    return f"{_('Item')} {number} · {SUBSCALE_LABELS[SUBSCALE_OF[number]]}{reversed_mark}"


class SdqForm(BoundedText, forms.Form):
    informant = forms.ChoiceField(label=_("Informant"), choices=Informant.choices)
    measured_on = date_field(_("Date filled in"))
    respondent = forms.CharField(
        label=_("Filled in by"),
        max_length=100,
        required=False,
        help_text=_("E.g. mother, class teacher, the child. No CPR numbers."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            licensed = texts.configured()
        except texts.ItemTextsError:
            licensed = None
        self.licensed = licensed
        for n in range(1, sdq.ITEM_COUNT + 1):
            self.fields[f"item_{n}"] = forms.TypedChoiceField(
                label=item_label(n, licensed),
                choices=ANSWER_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        for name, label in IMPACT_LABELS.items():
            self.fields[f"impact_{name}"] = forms.TypedChoiceField(
                label=label,
                choices=IMPACT_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in range(1, sdq.ITEM_COUNT + 1)]

    def impact_fields(self) -> list[forms.BoundField]:
        return [self[f"impact_{name}"] for name in IMPACT_LABELS]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "informant": data["informant"],
            "measured_on": data["measured_on"],
            "respondent": data.get("respondent") or "",
            "answers": [data.get(f"item_{n}") for n in range(1, sdq.ITEM_COUNT + 1)],
            "impact": {name: data.get(f"impact_{name}") for name in IMPACT_LABELS},
        }
