"""PostgreSQL roles: the application runs as a role that may add to the audit log and read it,
and do nothing else to it (docs/audit.md).

Migrations run as the owner of the tables (the migration role). After every `migrate`, when
TRAPPEN_DB_APP_ROLE names the application's role, `grant_app_role` gives that role what the
application needs on every table — and on the audit tables only SELECT and INSERT. Not owning
them, it can neither disable their triggers nor drop or truncate them.
"""

from typing import Any

from django.conf import settings
from django.db import connections

AUDIT_TABLES = ("audit_auditentry", "audit_auditentrychild", "audit_auditcheckpoint")


def _quote(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def grant_app_role(role: str, using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor != "postgresql" or not role:
        return
    quoted = _quote(connection, role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise RuntimeError(f"TRAPPEN_DB_APP_ROLE names no role in the database: {role}")
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            raise RuntimeError(
                "migrate runs as the application's own role; run it as the owner (migration role)"
            )
        schema = "public"
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}")
        for table in AUDIT_TABLES:
            cursor.execute(f"REVOKE ALL ON {table} FROM PUBLIC")
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {quoted}"
            )
            cursor.execute(f"GRANT SELECT, INSERT ON {table} TO {quoted}")


def after_migrate(sender: Any, using: str = "default", **_: Any) -> None:
    role = getattr(settings, "TRAPPEN_DB_APP_ROLE", "")
    if role and sender.label == "audit":
        grant_app_role(role, using)
