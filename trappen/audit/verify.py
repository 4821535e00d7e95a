"""Walking the chain: the first entry that was altered, removed or inserted."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import GENESIS, AuditEntry

BATCH = 2000


@dataclass(frozen=True)
class Problem:
    sequence: int
    kind: str  # "altered", "missing" or "broken link"
    message: str


@dataclass(frozen=True)
class Result:
    count: int
    problem: Problem | None


def verify(progress: Callable[[int], None] | None = None) -> Result:
    """Check every entry's hash and its link to the one before; stop at the first problem."""
    expected_sequence, prev_hash, count, last = 1, GENESIS, 0, 0
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")[:BATCH])
        if not batch:
            return Result(count, None)
        for entry in batch:
            if entry.sequence != expected_sequence:
                first, last_gone = expected_sequence, entry.sequence - 1
                gone = f"{first}" if first == last_gone else f"{first}-{last_gone}"
                return Result(
                    count,
                    Problem(first, "missing", f"entry {gone} is missing (deleted)"),
                )
            if entry.prev_hash != prev_hash:
                return Result(
                    count,
                    Problem(
                        entry.sequence,
                        "broken link",
                        f"entry {entry.sequence} does not follow entry {entry.sequence - 1}",
                    ),
                )
            if entry.compute_hash() != entry.hash:
                return Result(
                    count,
                    Problem(entry.sequence, "altered", f"entry {entry.sequence} was altered"),
                )
            prev_hash, expected_sequence, count = entry.hash, entry.sequence + 1, count + 1
        last = batch[-1].sequence
        if progress:
            progress(count)
