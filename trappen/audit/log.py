"""Writing the audit log (docs/audit.md).

`note_read(obj)` / `note_reads(objs)` mark objects a user is shown; within a request
AuditMiddleware writes one READ entry naming all of them when the response is ready, whatever its
status; outside a request the entry is written at once. `record(...)` writes an entry at once.
Each thread appends to its own chain (lane) without a lock: every entry's keyed hash covers the
one before, so a changed or removed entry breaks its chain (`trappen audit verify`).
"""

import json
import os
import re
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, router, transaction
from django.db.models import Model
from django.utils import timezone

from .models import GENESIS, AuditAction, AuditEntry, AuditEntryChild, key_id

__all__ = ["AuditAction", "Context", "note_read", "note_reads", "record"]


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
    "investigations.areaassessment": "investigation",
    "followups.goalrating": "follow_up",
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


class _Lane(threading.local):
    """This thread's chain. One writer per lane, so appends never wait for another writer."""

    pid: int = 0
    name: str = ""


_lane = _Lane()


def lane() -> str:
    """The name of the current thread's chain (a new one after a fork)."""
    if _lane.pid != os.getpid() or not _lane.name:
        _lane.pid, _lane.name = os.getpid(), uuid.uuid4().hex[:24]
    return _lane.name


def _new_lane() -> None:
    _lane.name = ""


def _build(
    action: str,
    *,
    obj: Model | None = None,
    object_type: str = "",
    object_pk: str = "",
    child_pk: int | None = None,
    objects_shown: list[list[Any]] | None = None,
    user: Any = None,
    source: str | None = None,
    status: int | None = None,
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
        objects_shown=objects_shown or [],
        path=(request.path[:500] if request is not None else ""),
        url_name=((match.view_name or "")[:200] if match else ""),
        status=status,
        detail=clean_detail,
    )


def _chain(entry: AuditEntry) -> None:
    """Append `entry` to this thread's chain, in the caller's transaction if any.

    The head is read back from the database rather than remembered, so an entry rolled back
    with its transaction leaves no gap. No lock: nobody else writes this lane.
    """
    using = router.db_for_write(AuditEntry)
    for _attempt in range(3):
        name = lane()
        head = (
            AuditEntry.objects.using(using)
            .filter(lane=name)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        entry.lane = name
        entry.sequence, entry.prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        entry.at = timezone.now()
        entry.key_id = key_id()
        entry.hash = entry.compute_hash()
        try:
            with transaction.atomic(using=using):
                entry.save(using=using)
                children = {c for _t, _p, c in entry.objects_shown if c is not None}
                AuditEntryChild.objects.using(using).bulk_create(
                    [AuditEntryChild(entry=entry, child_pk=c) for c in sorted(children)]
                )
            return
        except IntegrityError:
            # Only if a lane name was ever drawn twice: start a fresh lane.
            entry.pk = None
            entry._state.adding = True
            _new_lane()
    raise RuntimeError("could not append to the audit log")


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
    _chain(entry)
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

    In a request: AuditMiddleware writes what the request was shown as one READ entry when the
    response is ready, whatever its status. Outside a request: written at once.
    """
    note_reads([obj])


def note_reads(objects: Iterable[Model]) -> None:
    """Each of `objects` (e.g. the cases or notifications a list page renders) is shown.

    Call it with the rows actually rendered (the current page), not the whole query. In a
    request they join the request's one READ entry; outside a request, one entry now.
    """
    ctx = current()
    if ctx is None or ctx.request is None:
        seen: dict[tuple[str, str], Model] = {}
        for obj in objects:
            seen.setdefault((label_of(obj), str(obj.pk)), obj)
        if seen:
            _chain(read_entry(list(seen.values())))
        return
    for obj in objects:
        ctx.reads.setdefault((label_of(obj), str(obj.pk)), obj)


def read_entry(objects: list[Model], status: int | None = None) -> AuditEntry:
    """One READ entry for everything shown: its object's columns when it is one object, else
    the list (and the child index rows written with it)."""
    if len(objects) == 1:
        return _build(AuditAction.READ, obj=objects[0], status=status)
    shown = [[label_of(o), str(o.pk), child_pk_of(o)] for o in objects]
    return _build(AuditAction.READ, objects_shown=shown, status=status)


def flush_reads(ctx: Context, status: int | None = None) -> None:
    """Write the request's READ entry: one row naming every object the request was shown."""
    reads, ctx.reads = list(ctx.reads.values()), {}
    if reads:
        _chain(read_entry(reads, status))
