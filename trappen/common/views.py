"""The one shape every form view shares: validate, call the service, show its refusal."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def submitted(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    field: str | None = None,
) -> bool:
    """True when the form was POSTed valid and `save` succeeded.

    A ValidationError from the service (a rule of the model, e.g. "placements stay with the
    team") becomes an error on the form, on `field` or on the whole form, and nothing is saved.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        form.add_error(field, error)
        return False
    return True
