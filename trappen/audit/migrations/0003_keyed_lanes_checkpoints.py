"""The keyed, anchored log (F6) that writes without a global lock (F11): lanes, HMAC, one entry
per request with a child index, checkpoints. Existing entries are checked against their old
unkeyed chain and signed with the key into the lane "legacy" (docs/audit.md)."""

import hashlib
import json
from datetime import UTC

import django.db.models.deletion
from django.db import migrations, models

DROP_TRIGGER = "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry"
CREATE_TRIGGER = """
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
"""


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def _old_hash(row) -> str:
    at = row.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    canonical = json.dumps(
        {
            "sequence": int(row.sequence),
            "at": at,
            "actor": row.actor_id,
            "actor_username": row.actor_username,
            "actor_profession": row.actor_profession,
            "source": row.source,
            "action": row.action,
            "object_type": row.object_type,
            "object_pk": row.object_pk,
            "child_pk": row.child_pk,
            "path": row.path,
            "url_name": row.url_name,
            "detail": row.detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((row.prev_hash + canonical).encode()).hexdigest()


def sign_legacy(apps, schema_editor):
    """Check the unkeyed chain as it was, then sign it with the key: from here on only someone
    with the key could rewrite it. A broken old chain stops the migration."""
    from trappen.audit.models import AuditEntry as Current
    from trappen.audit.models import key_id

    Entry = apps.get_model("audit", "AuditEntry")
    using = schema_editor.connection.alias
    prev_old, prev_new, expected = "0" * 64, "0" * 64, 1
    kid = key_id()
    for row in Entry.objects.using(using).order_by("sequence").iterator(chunk_size=2000):
        if row.sequence != expected or row.prev_hash != prev_old or _old_hash(row) != row.hash:
            raise RuntimeError(
                f"audit entry {row.sequence} does not verify under the old chain: "
                "run `trappen audit verify` on the previous release before upgrading"
            )
        prev_old, expected = row.hash, expected + 1
        signed = Current(
            lane="legacy",
            sequence=row.sequence,
            at=row.at,
            actor_id=row.actor_id,
            actor_username=row.actor_username,
            actor_profession=row.actor_profession,
            source=row.source,
            action=row.action,
            object_type=row.object_type,
            object_pk=row.object_pk,
            child_pk=row.child_pk,
            objects_shown=[],
            path=row.path,
            url_name=row.url_name,
            status=None,
            detail=row.detail,
            key_id=kid,
            prev_hash=prev_new,
        )
        new_hash = signed.compute_hash()
        Entry.objects.using(using).filter(pk=row.pk).update(
            lane="legacy", key_id=kid, prev_hash=prev_new, hash=new_hash
        )
        prev_new = new_hash


class Migration(migrations.Migration):
    atomic = True
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(drop_trigger, create_trigger),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "base_manager_name": "objects",
                "ordering": ["id"],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.RemoveIndex(model_name="auditentry", name="audit_child_seq"),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(verbose_name="number"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="lane",
            field=models.CharField(default="legacy", max_length=32, verbose_name="chain"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="objects_shown",
            field=models.JSONField(blank=True, default=list, verbose_name="objects shown"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="status",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="response status"
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("read", "Viewed"),
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("export", "Exported"),
                    ("download", "Downloaded"),
                    ("import", "Imported"),
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("break_glass", "Break the glass"),
                    ("consent", "Consent"),
                    ("retention", "Retention"),
                    ("lookup", "Looked up"),
                    ("account", "Account changed"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["child_pk", "id"], name="audit_child_id"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("lane", "sequence"), name="audit_lane_sequence"
            ),
        ),
        migrations.RunPython(sign_legacy, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(unique=True)),
                ("at", models.DateTimeField()),
                ("last_entry_id", models.PositiveBigIntegerField(default=0)),
                ("heads", models.JSONField(default=dict)),
                ("entries", models.PositiveBigIntegerField(default=0)),
                ("full", models.BooleanField(default=False)),
                ("key_id", models.CharField(max_length=16)),
                ("prev_mac", models.CharField(max_length=64)),
                ("mac", models.CharField(max_length=64, unique=True)),
            ],
            options={"ordering": ["number"], "base_manager_name": "objects"},
        ),
        migrations.CreateModel(
            name="AuditEntryChild",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("child_pk", models.PositiveBigIntegerField()),
                (
                    "entry",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audit.auditentry",
                    ),
                ),
            ],
            options={"base_manager_name": "objects"},
        ),
        migrations.AddConstraint(
            model_name="auditentrychild",
            constraint=models.UniqueConstraint(
                fields=("child_pk", "entry"), name="audit_child_entry"
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
