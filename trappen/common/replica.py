"""A PostgreSQL read replica for the steering (docs/deploy.md).

With DATABASE_REPLICA_URL set, the code that computes the steering's figures reads inside
`on_replica()`, and those reads go to the replica; everything else — every case page, every
write, the audit log — stays on the primary, so a caseworker never sees stale data.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("trappen_on_replica", default=False)


@contextmanager
def on_replica() -> Iterator[None]:
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside `on_replica()` to the replica when there is one; the rest to default."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_replica.get() and has_replica():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # replicated, never migrated itself
