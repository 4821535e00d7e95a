"""Writing the audit log (docs/audit.md).

`note_read(obj)` marks an object a user is shown; within a request AuditMiddleware writes one
READ entry per distinct object when the response succeeds, outside a request it is written at
once. `record(...)` writes an entry at once. Entries are chained: each one's hash covers the
previous hash, so a changed or removed entry breaks the chain (`trappen audit verify`).
"""

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from .models import GENESIS, AuditAction, AuditEntry

__all__ = ["AuditAction", "Context", "note_read", "note_reads", "record"]

# Any constant: PostgreSQL's advisory lock key that serialises appends to the chain.
CHAIN_LOCK_KEY = 7_406_115_001


@dataclass
class Context:
    """Who is acting and what they have been shown so far (one per request or command)."""

    source: str
    request: Any = None
    user: Any = None
    reads: dict[tuple[str, str], Model] = field(default_factory=dict)
    # Bulk mode (imports, the demo build): per-row write entries become counts in one summary.
    bulk: dict[str, dict[str, int]] | None = None


_context: ContextVar[Context | None] = ContextVar("trappen_audit_context", default=None)


def current() -> Context | None:
    return _context.get()


@contextmanager
def context(ctx: Context) -> Iterator[Context]:
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def _actor() -> tuple[Any, str]:
    ctx = current()
    if ctx is None:
        return None, "system"
    user = ctx.user
    if user is None and ctx.request is not None:
        user = getattr(ctx.request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user, ctx.source


def label_of(obj: Model) -> str:
    return obj._meta.label_lower


# How to reach the child from a case-data object that holds no child or case itself.
_PARENT = {
    "investigations.networkmapentry": "investigation",
    "plans.actionplanrevision": "plan",
    "plans.goal": "revision",
    "followups.followupexception": "episode",
}


def child_pk_of(obj: Model | None) -> int | None:
    """The pk of the child whose data `obj` is, or None when it is not case data."""
    from trappen.cases.models import Child

    for _depth in range(5):
        if obj is None:
            return None
        if isinstance(obj, Child):
            return obj.pk
        if getattr(obj, "child_id", None) is not None:
            return int(obj.child_id)  # type: ignore[attr-defined]
        if getattr(obj, "case_id", None) is not None:
            return int(obj.case.child_id)  # type: ignore[attr-defined]
        parent = _PARENT.get(label_of(obj))
        if parent is None:
            return None
        obj = getattr(obj, parent, None)
    return None


_CPR_LIKE = re.compile(r"\d{6}[-\s]?\d{4}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_text(text: str, limit: int = 150) -> str:
    """Free text typed by someone (an attempted user name): never a CPR number, no controls."""
    return _CPR_LIKE.sub("[cpr]", _CONTROL.sub("", str(text)))[:limit]


def _lock_chain(using: str) -> None:
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _build(
    action: str,
    *,
    obj: Model | None = None,
    object_type: str = "",
    object_pk: str = "",
    child_pk: int | None = None,
    user: Any = None,
    source: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved entry without its place in the chain (sequence, hashes)."""
    actor, ctx_source = _actor()
    if user is None:
        user = actor
    if obj is not None:
        object_type = object_type or label_of(obj)
        object_pk = object_pk or str(obj.pk)
        if child_pk is None:
            child_pk = child_pk_of(obj)
    ctx = current()
    request = ctx.request if ctx else None
    match = getattr(request, "resolver_match", None) if request is not None else None
    # Through JSON once, so that the stored value and the hashed value are the same.
    clean_detail = json.loads(json.dumps(detail or {}, sort_keys=True, default=str))
    return AuditEntry(
        actor=user,
        actor_username=getattr(user, "username", "") or "",
        actor_profession=getattr(user, "profession", "") or "",
        source=source or ctx_source,
        action=str(action),
        object_type=object_type,
        object_pk=object_pk,
        child_pk=child_pk,
        path=(request.path[:500] if request is not None else ""),
        url_name=((match.view_name or "")[:200] if match else ""),
        detail=clean_detail,
    )


def _chain(entries: list[AuditEntry]) -> None:
    """Append `entries` to the chain in one INSERT, in the caller's transaction if any."""
    if not entries:
        return
    using = router.db_for_write(AuditEntry)
    with transaction.atomic(using=using):
        _lock_chain(using)
        head = (
            AuditEntry.objects.using(using)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        sequence, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        at = timezone.now()  # taken under the lock, so times follow the chain's order
        for entry in entries:
            entry.sequence, entry.at, entry.prev_hash = sequence, at, prev_hash
            entry.hash = prev_hash = entry.compute_hash()
            sequence += 1
        if len(entries) == 1:
            entries[0].save(using=using)
        else:
            AuditEntry.objects.using(using).bulk_create(entries)


def append(
    action: str,
    *,
    obj: Model | None = None,
    object_type: str = "",
    object_pk: str = "",
    child_pk: int | None = None,
    user: Any = None,
    source: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction when there is one."""
    entry = _build(
        action,
        obj=obj,
        object_type=object_type,
        object_pk=object_pk,
        child_pk=child_pk,
        user=user,
        source=source,
        detail=detail,
    )
    _chain([entry])
    return entry


def record(
    action: str,
    obj: Model | None = None,
    *,
    user: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one entry now: exports, downloads, break-the-glass, consent, retention, logins.

    `detail` must never hold a CPR number, a name or free text from a case.
    """
    return append(action, obj=obj, user=user, detail=detail)


def note_read(obj: Model) -> None:
    """`obj` (a case, child or notification) is being shown to the current user.

    In a request: at most one READ entry per object, written by AuditMiddleware when the
    response succeeds. Outside a request: written at once.
    """
    ctx = current()
    if ctx is None or ctx.request is None:
        append(AuditAction.READ, obj=obj)
        return
    ctx.reads.setdefault((label_of(obj), str(obj.pk)), obj)


def note_reads(objects: Iterable[Model]) -> None:
    """Each of `objects` (the cases or notifications a list page renders) is shown to the user.

    Call it with the rows actually rendered (the current page), not the whole query. In a
    request the entries join the one insert AuditMiddleware makes; outside, one insert now.
    """
    ctx = current()
    if ctx is None or ctx.request is None:
        seen: dict[tuple[str, str], Model] = {}
        for obj in objects:
            seen.setdefault((label_of(obj), str(obj.pk)), obj)
        _chain([_build(AuditAction.READ, obj=obj) for obj in seen.values()])
        return
    for obj in objects:
        ctx.reads.setdefault((label_of(obj), str(obj.pk)), obj)


def flush_reads(ctx: Context) -> None:
    """Write the request's READ entries: one insert for all of them."""
    reads, ctx.reads = list(ctx.reads.values()), {}
    _chain([_build(AuditAction.READ, obj=obj) for obj in reads])
