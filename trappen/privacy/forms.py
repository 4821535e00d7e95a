from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.intake.forms import CprField, UnrenderedTextInput


class FindChildForm(forms.Form):
    """The CPR number is posted, never put in a URL, and never shown again after a refusal."""

    cpr = CprField(widget=UnrenderedTextInput(attrs={"autocomplete": "off"}))

    def no_such_child(self) -> None:
        # The same answer whether the child is unknown or outside the user's scope.
        self.add_error("cpr", _("No child whose access report you may get has this CPR number."))
