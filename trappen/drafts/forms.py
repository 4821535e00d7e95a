"""Autosaving a form's long text as a draft (htmx, no build step): the fields post themselves,
with the rest of their form, to the draft's URL two seconds after the last key and when they
lose focus changed; the answer is the status line below the form."""

from typing import Any

from django import forms

from .models import Draft

STATUS_ID = "draft-status"


def autosaving(form: forms.BaseForm, url: str, fields: tuple[str, ...], draft: Draft | None) -> Any:
    """`form` with `fields` saving themselves to `url`, filled from `draft` when there is one
    (and the form is not bound: a re-rendered form shows what was posted)."""
    for name in fields:
        form.fields[name].widget.attrs.update(
            {
                "hx-post": url,
                "hx-trigger": "keyup changed delay:2s, change",
                "hx-include": "closest form",
                "hx-target": f"#{STATUS_ID}",
                "hx-swap": "innerHTML",
            }
        )
    if draft is not None and not form.is_bound:
        values = {"text": draft.text, "heading": draft.heading, "minutes": draft.text}
        form.initial.update({name: values[name] for name in fields if name in values})
    return form
