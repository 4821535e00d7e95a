"""Every write of a draft (the caller has asked trappen.access.policy.drafts first)."""

from typing import Any

from django.db import transaction

from trappen.cases.models import Case
from trappen.meetings.models import Meeting

from .models import Draft


def save_draft(
    author: Any,
    kind: str,
    *,
    text: str,
    heading: str = "",
    case: Case | None = None,
    meeting: Meeting | None = None,
) -> Draft | None:
    """The author's draft for this journal or minutes, created or brought up to `text`; an
    empty text removes it (nothing to offer again). The write is audited (case data)."""
    target = {"author": author, "kind": kind, "case": case, "meeting": meeting}
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(**target).first()
        if not text.strip():
            if draft is not None:
                draft.delete()
            return None
        if draft is None:
            return Draft.objects.create(text=text, heading=heading, **target)
        if draft.text != text or draft.heading != heading:
            draft.text, draft.heading = text, heading
            draft.save(update_fields=["text", "heading", "saved_at"])
        return draft


def discard(draft: Draft) -> None:
    """The user threw the draft away (policy.get_draft gave it: it is their own)."""
    with transaction.atomic():
        draft.delete()


def clear(
    author: Any, kind: str, *, case: Case | None = None, meeting: Meeting | None = None
) -> None:
    """The text is saved: its draft goes (called inside the saving service's transaction).
    One delete per row, so each removal is audited like every write of case data."""
    for draft in Draft.objects.filter(author=author, kind=kind, case=case, meeting=meeting):
        draft.delete()
