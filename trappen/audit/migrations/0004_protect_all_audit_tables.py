"""PostgreSQL: every audit table refuses UPDATE and DELETE, whoever asks; only the owner (the
migration role) could drop the triggers, and the application's role is not the owner and holds
no TRUNCATE privilege (trappen/audit/roles.py, docs/audit.md). TRUNCATE is left to privileges:
the test runner empties tables with it."""

from django.db import migrations

TABLES = ("audit_auditentrychild", "audit_auditcheckpoint")
FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, None)  # None: the % in it are no placeholders
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_lanes_checkpoints")]

    operations = [migrations.RunPython(forwards, backwards)]
