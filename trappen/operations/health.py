"""What a load balancer asks: is the process up (/healthz), can it serve (/readyz)?"""

import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

# Reading the migration graph takes a while: a good answer is reused for this long.
MIGRATIONS_OK_FOR_SECONDS = 60.0
_migrations_ok_at = 0.0


@dataclass(frozen=True)
class Readiness:
    database: bool
    migrations: bool

    @property
    def ready(self) -> bool:
        return self.database and self.migrations


def _database_answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure to reach it means "not ready"
        return False


def _migrations_applied(alias: str) -> bool:
    global _migrations_ok_at
    if time.monotonic() - _migrations_ok_at < MIGRATIONS_OK_FOR_SECONDS:
        return True
    executor = MigrationExecutor(connections[alias])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return False
    _migrations_ok_at = time.monotonic()
    return True


def readiness(alias: str = DEFAULT_DB_ALIAS) -> Readiness:
    database = _database_answers(alias)
    return Readiness(database, database and _migrations_applied(alias))
