"""Looking a child up in the register by CPR number: what the user may learn from the answer.

Three forms ask (the notification form's live lookup, the registration form itself and the
access-report lookup); each lookup is audited whatever the answer (the child when found, never
the number). The views throttle before they ask.
"""

from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case, Child

from .cases import visible_cases
from .notifications import may_register, visible_notifications
from .privacy import may_get_access_report, may_look_up_access_report

# The form that asked, as the audit entry names it.
LookupForm = Literal["notification", "lookup", "access_report"]


@dataclass(frozen=True)
class LookupAnswer:
    """What the user may be told. `known`: a child has this number (as far as the user may
    know); `child`: who it is, only when the user may read about it; `open_case`: its open case,
    for the notification form's "where the notification goes"."""

    known: bool
    child: Child | None = None
    open_case: Case | None = None


def look_up_child(user: Any, cpr: str, form: LookupForm) -> LookupAnswer:
    """Ask the register for `cpr` on behalf of `user` and decide what the answer may say:

    - "lookup" (while registering): that the child is known; its name, district and open case
      only if the user's team may read its notifications or a case of it.
    - "notification" (the registration form posted): that the child is known; the form's own
      errors say the rest.
    - "access_report": the child only if the user may get its access report; otherwise the
      same answer as for a number nobody has.
    """
    allowed = may_look_up_access_report(user) if form == "access_report" else may_register(user)
    if not allowed:
        raise PermissionDenied
    child = Child.objects.filter(cpr=cpr).select_related("district").first()
    record(AuditAction.LOOKUP, child, detail={"found": child is not None, "form": form})
    if child is None:
        return LookupAnswer(known=False)
    if form == "access_report":
        if may_get_access_report(user, child):
            return LookupAnswer(known=True, child=child)
        return LookupAnswer(known=False)
    if form == "lookup" and _in_scope(user, child):
        return LookupAnswer(known=True, child=child, open_case=child.open_case())
    return LookupAnswer(known=True)


def _in_scope(user: Any, child: Child) -> bool:
    """May `user` read this child's notifications or a case of it (the policy's querysets)?"""
    return (
        visible_notifications(user).filter(child=child).exists()
        or visible_cases(user).filter(child=child).exists()
    )


def get_child_for_access_report(user: Any, pk: int) -> Child:
    """The child whose access report `user` asks for: 404 if there is none, 403 if the user
    may not get it."""
    child = Child.objects.select_related("district").filter(pk=pk).first()
    if child is None:
        raise Http404
    if not may_get_access_report(user, child):
        raise PermissionDenied
    return child
