from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.forms import VersionedForm
from trappen.common.forms import date_field, not_in_future
from trappen.organisation.models import Profession, User

from .models import RECIPIENT_PROFESSIONS, Relation, Scope
from .services import BREAK_GLASS_MIN_REASON


class ConsentForm(forms.Form):
    custody_holder = forms.CharField(label=_("Custody holder (name)"), max_length=200)
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=Relation.choices)
    scope = forms.ChoiceField(label=_("What may be shared"), choices=Scope.choices)
    profession = forms.ChoiceField(
        label=_("With profession"),
        choices=[("", "---------"), *RECIPIENT_PROFESSIONS],
        required=False,
    )
    recipient = forms.ModelChoiceField(
        label=_("Or with a named person"),
        queryset=User.objects.filter(
            is_active=True,
            profession__in=[Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR, Profession.SCHOOL],
        ).order_by("first_name", "last_name"),
        required=False,
    )
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid to (optional)"), required=False)

    def clean_custody_holder(self) -> str:
        value: str = self.cleaned_data["custody_holder"].strip()
        if not value:
            raise forms.ValidationError(_("Name the custody holder who gave the consent."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        profession, recipient = data.get("profession"), data.get("recipient")
        if bool(profession) == bool(recipient):
            self.add_error(
                "profession", _("Choose either a profession or a named person, not both.")
            )
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The consent cannot end before it starts."))
        data["profession"] = profession or ""
        return data


class WithdrawForm(VersionedForm):
    withdrawn_on = date_field(_("Withdrawn on"), validators=[not_in_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Share with"),
        queryset=User.objects.filter(
            is_active=True, profession__in=[Profession.PSYCHOLOGIST, Profession.HEALTH_VISITOR]
        ).order_by("first_name", "last_name"),
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for opening the case"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=BREAK_GLASS_MIN_REASON,
        max_length=1000,
        help_text=_(
            "Why you need this case now. Your team leader sees the reason; a CPR number in it "
            "is masked."
        ),
    )
