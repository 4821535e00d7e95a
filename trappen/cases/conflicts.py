"""Showing an edit conflict: the record as it is now next to what the editor submitted."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import Model
from django.utils import formats, timezone


def last_change(obj: Model) -> Any:
    """The audit log's latest entry that created or changed `obj` (who and when), or None."""
    from trappen.audit.models import AuditAction, AuditEntry

    return (
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower,
            object_pk=str(obj.pk),
            action__in=[AuditAction.CREATE, AuditAction.UPDATE],
        )
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def _shown(field: forms.Field, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d.m.Y")
    return str(value)


def submitted_values(form: forms.Form) -> list[tuple[str, str]]:
    """The editor's visible input as (label, shown value), for the 'your version' column."""
    data = form.cleaned_data if form.is_valid() else {}
    return [
        (str(bound.label), _shown(bound.field, data.get(name, bound.value())))
        for name, bound in ((b.name, b) for b in form.visible_fields())
    ]


def keep_input(form_class: type[forms.Form], post: Any, version: int, **kwargs: Any) -> Any:
    """The editor's form again, now based on the current version: saving it is a deliberate
    choice made with both versions on screen."""
    data = post.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form
