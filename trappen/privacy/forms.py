from django import forms
from django.utils.translation import gettext_lazy as _

from trappen.intake.forms import CprField


class FindChildForm(forms.Form):
    """The CPR number is posted, never put in a URL."""

    cpr = CprField(widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def no_such_child(self) -> None:
        # The same answer whether the child is unknown or outside the user's scope.
        self.add_error("cpr", _("No child whose access report you may get has this CPR number."))
