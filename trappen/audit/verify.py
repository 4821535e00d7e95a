"""Checking the log: every chain's keyed hashes, its numbering, the child index and the
checkpoints, inside the database and against the anchor file outside it (docs/audit.md).

`verify()` starts from the last checkpoint and reads only the entries after it; `full=True`
re-reads everything. A successful verify writes a new checkpoint (`checkpoint()`).
"""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from .models import GENESIS, AuditCheckpoint, AuditEntry, AuditEntryChild, key_id

BATCH = 2000
anchor_log = logging.getLogger("trappen.audit.anchor")


@dataclass(frozen=True)
class Problem:
    place: str  # "lane:sequence" of the entry, or "checkpoint N"
    kind: str  # "altered", "missing", "broken link", "inserted", "truncated", "index", "checkpoint"
    message: str


@dataclass
class Result:
    count: int
    problem: Problem | None
    checkpoint: int | None = None  # the checkpoint the walk started from
    heads: dict[str, list[Any]] = field(default_factory=dict)
    last_entry_id: int = 0
    warnings: list[str] = field(default_factory=list)


class _Broken(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


# ---- the anchor file --------------------------------------------------------------------------


def anchor_path() -> Path:
    return Path(settings.TRAPPEN_AUDIT_ANCHOR_FILE)


def read_anchors() -> list[dict[str, Any]]:
    path = anchor_path()
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def write_anchor(cp: AuditCheckpoint) -> None:
    line = json.dumps(
        {
            "number": cp.number,
            "at": cp.at.isoformat(),
            "last_entry_id": cp.last_entry_id,
            "mac": cp.mac,
        },
        sort_keys=True,
    )
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write(line + "\n")
    # Also to the operator's log (syslog, the journal): a second copy out of the database's reach.
    anchor_log.info("audit checkpoint %s", line)


# ---- checkpoints ------------------------------------------------------------------------------


def _checkpoints() -> tuple[list[AuditCheckpoint], list[str]]:
    """The checkpoints, checked: each one signed and linked to the one before, and none removed
    or changed behind the anchor file's back."""
    points = list(AuditCheckpoint.objects.order_by("number"))
    prev, number = GENESIS, 1
    for cp in points:
        where = f"checkpoint {cp.number}"
        if cp.number != number:
            raise _Broken(Problem(where, "checkpoint", f"checkpoint {number} is missing"))
        if cp.prev_mac != prev or cp.compute_mac() != cp.mac:
            raise _Broken(Problem(where, "checkpoint", f"{where} was altered"))
        prev, number = cp.mac, number + 1
    warnings: list[str] = []
    anchors = read_anchors()
    by_number = {cp.number: cp for cp in points}
    for anchor in anchors:
        anchored = by_number.get(int(anchor["number"]))
        if anchored is None:
            raise _Broken(
                Problem(
                    f"checkpoint {anchor['number']}",
                    "checkpoint",
                    f"checkpoint {anchor['number']} of the anchor file is not in the database "
                    "(the log was cut back)",
                )
            )
        if anchored.mac != anchor["mac"]:
            raise _Broken(
                Problem(
                    f"checkpoint {anchored.number}",
                    "checkpoint",
                    f"checkpoint {anchored.number} differs from the anchor file",
                )
            )
    if not anchors and points:
        warnings.append(f"no anchor file at {anchor_path()}: cut-off ends cannot be checked")
    elif anchors and points and points[-1].number > int(anchors[-1]["number"]):
        warnings.append("the anchor file lacks the newest checkpoints")
    return points, warnings


def _fold_heads(points: Iterable[AuditCheckpoint]) -> dict[str, list[Any]]:
    heads: dict[str, list[Any]] = {}
    for cp in points:
        heads.update(cp.heads)
    return heads


def _check_heads_exist(heads: dict[str, list[Any]]) -> None:
    """Each chain still reaches as far as the last checkpoint saw: nothing cut off its end."""
    items = list(heads.items())
    for i in range(0, len(items), 200):
        batch = items[i : i + 200]
        query = Q()
        for lane, (sequence, _hash) in batch:
            query |= Q(lane=lane, sequence=sequence)
        found = {
            (e.lane, e.sequence): e.hash
            for e in AuditEntry.objects.filter(query).only("lane", "sequence", "hash")
        }
        for lane, (sequence, hash_) in batch:
            if found.get((lane, sequence)) != hash_:
                place = f"{lane}:{sequence}"
                gone = (lane, sequence) not in found
                raise _Broken(
                    Problem(
                        place,
                        "truncated" if gone else "altered",
                        f"entry {place}, the last a checkpoint saw, is "
                        + ("missing (the end of the log was cut off)" if gone else "altered"),
                    )
                )


# ---- entries ----------------------------------------------------------------------------------


class _Walk:
    def __init__(self, heads: dict[str, list[Any]]) -> None:
        self.state = {lane: (int(s), h) for lane, (s, h) in heads.items()}
        self.grown: dict[str, list[Any]] = {}
        self.count = 0
        self.key_id = key_id()

    def check(self, entry: AuditEntry) -> None:
        sequence, prev = self.state.get(entry.lane, (0, GENESIS))
        if entry.sequence <= sequence:
            raise _Broken(Problem(entry.place, "inserted", f"entry {entry.place} was inserted"))
        if entry.sequence > sequence + 1:
            # Written before the last checkpoint but committed after it: fetch the gap.
            for earlier in AuditEntry.objects.filter(
                lane=entry.lane, sequence__gt=sequence, sequence__lt=entry.sequence
            ).order_by("sequence"):
                self.check(earlier)
            sequence, prev = self.state.get(entry.lane, (0, GENESIS))
            if entry.sequence != sequence + 1:
                gone = f"{entry.lane}:{sequence + 1}"
                if entry.sequence - 1 > sequence + 1:
                    gone += f"-{entry.sequence - 1}"
                raise _Broken(
                    Problem(
                        f"{entry.lane}:{sequence + 1}",
                        "missing",
                        f"entry {gone} is missing (deleted)",
                    )
                )
        if entry.prev_hash != prev:
            raise _Broken(
                Problem(
                    entry.place,
                    "broken link",
                    f"entry {entry.place} does not follow entry {entry.lane}:{sequence}",
                )
            )
        if entry.key_id != self.key_id or entry.compute_hash() != entry.hash:
            raise _Broken(Problem(entry.place, "altered", f"entry {entry.place} was altered"))
        self.state[entry.lane] = (entry.sequence, entry.hash)
        self.grown[entry.lane] = [entry.sequence, entry.hash]
        self.count += 1

    def check_index(self, batch: list[AuditEntry]) -> None:
        """The child index says exactly what the many-object entries say."""
        many = [e for e in batch if e.objects_shown]
        if not many:
            return
        stored: dict[int, set[int]] = {}
        for entry_id, child in AuditEntryChild.objects.filter(
            entry_id__in=[e.pk for e in many]
        ).values_list("entry_id", "child_pk"):
            stored.setdefault(entry_id, set()).add(child)
        for entry in many:
            said = {c for _t, _p, c in entry.objects_shown if c is not None}
            if stored.get(entry.pk, set()) != said:
                raise _Broken(
                    Problem(
                        entry.place,
                        "index",
                        f"the child index of entry {entry.place} was altered",
                    )
                )


def verify(progress: Callable[[int], None] | None = None, *, full: bool = False) -> Result:
    """Check the log; stop at the first problem. Incremental from the last checkpoint unless
    `full`."""
    try:
        points, warnings = _checkpoints()
        heads = _fold_heads(points)
        _check_heads_exist(heads)
        start = None if full or not points else points[-1]
        walk = _Walk({} if start is None else heads)
        last = 0 if start is None else start.last_entry_id
        while True:
            batch = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not batch:
                break
            for entry in batch:
                walk.check(entry)
            walk.check_index(batch)
            last = batch[-1].pk
            if progress:
                progress(walk.count)
    except _Broken as broken:
        count = walk.count if "walk" in locals() else 0
        return Result(count, broken.problem)
    return Result(
        walk.count,
        None,
        checkpoint=start.number if start else None,
        heads=heads | walk.grown if full else walk.grown,
        last_entry_id=last,
        warnings=warnings,
    )


def checkpoint(result: Result, *, full: bool = False) -> AuditCheckpoint:
    """Sign and store how far `result` (a verify without problems) reached; copy it to the
    anchor file."""
    assert result.problem is None
    with transaction.atomic():
        prev = AuditCheckpoint.objects.order_by("-number").first()
        cp = AuditCheckpoint(
            number=(prev.number + 1) if prev else 1,
            at=timezone.now(),
            last_entry_id=max(result.last_entry_id, prev.last_entry_id if prev else 0),
            heads=result.heads,
            entries=result.count,
            full=full,
            key_id=key_id(),
            prev_mac=prev.mac if prev else GENESIS,
        )
        cp.mac = cp.compute_mac()
        cp.save()
    write_anchor(cp)
    return cp


def entry_count() -> int:
    return AuditEntry.objects.aggregate(n=Max("pk"))["n"] or 0
