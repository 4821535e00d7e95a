"""Form pieces shared by every app: date inputs and the 'not in the future' rule."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def four_digit_year(value: date | datetime) -> None:
    """A browser's date field takes "26" as the year 0026: refuse it, saying what to type."""
    if value.year < 1000:
        raise ValidationError(_("Write the year with four digits."), code="two_digit_year")


# Every date and date-time field of every form (model forms and the admin's too) refuses a
# year below 1000; set here, where every app's forms import their date inputs from.
forms.DateField.default_validators = [four_digit_year]
forms.DateTimeField.default_validators = [four_digit_year]


def date_field(label: "_StrOrPromise", **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


def not_in_future(value: date | datetime) -> None:
    if isinstance(value, datetime):
        if value > timezone.now():
            raise ValidationError(_("The time cannot be in the future."))
    elif value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
