"""Drafts of long texts (trappen.drafts): only the author reads their own draft, and only while
they may still write the text it is a draft of (the journal of a case they may edit, the
minutes of a meeting they may write). Anyone else asking for a draft by its number gets a 404,
as for a draft that does not exist, and the refusal is written to the audit log (ids only).

Saving a draft while typing does not note a read of the case: the autosave would flood "who has
seen this child's case" (F10 point 9); the write itself is audited as case data."""

from typing import Any

from django.http import Http404

from trappen.audit.log import note_read, record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case
from trappen.drafts.models import Draft
from trappen.meetings.models import Meeting

from .base import Action, active
from .cases import may_case
from .meetings import get_meeting, may_write_minutes


def journal_draft_case(user: Any, pk: int) -> Case:
    """The case whose journal `user` may write (a draft's target): 404 otherwise; no read noted."""
    case = (
        Case.objects.select_related("child__district", "team", "caseworker").filter(pk=pk).first()
    )
    if case is None or not active(user) or not may_case(user, Action.EDIT, case):
        raise Http404
    return case


def minutes_draft_meeting(user: Any, pk: int) -> Meeting:
    """The meeting whose minutes `user` may write: 404 otherwise."""
    meeting = get_meeting(user, pk)
    if not may_write_minutes(user, meeting):
        raise Http404
    return meeting


def may_draft(user: Any, draft: Draft) -> bool:
    if not active(user) or draft.author_id != user.pk:
        return False
    if draft.kind == Draft.Kind.JOURNAL:
        return draft.case is not None and may_case(user, Action.EDIT, draft.case)
    try:
        minutes_draft_meeting(user, draft.meeting_id or 0)
    except Http404:
        return False
    return True


def get_draft(user: Any, pk: int) -> Draft:
    """The draft `pk` if it is `user`'s own and they may still write its text; else 404 and
    an audit entry of the refusal (no text, no name: the draft's number and the reason)."""
    draft = (
        Draft.objects.select_related("case__child", "case__team", "meeting").filter(pk=pk).first()
    )
    if draft is None or not may_draft(user, draft):
        record(
            AuditAction.READ,
            user=user if getattr(user, "is_authenticated", False) else None,
            detail={"refused": "policy", "object": "drafts.draft", "pk": pk},
        )
        raise Http404
    note_read(draft)
    return draft


def own_draft(
    user: Any, kind: str, *, case: Case | None = None, meeting: Meeting | None = None
) -> Draft | None:
    """`user`'s own draft for the journal of `case` or the minutes of `meeting`, if any (the
    caller has decided that `user` may write that text); its read is audited."""
    if not active(user):
        return None
    draft = Draft.objects.filter(author=user, kind=kind, case=case, meeting=meeting).first()
    if draft is not None:
        note_read(draft)
    return draft
