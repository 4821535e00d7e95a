"""The audit log: append-only, hash-chained entries (docs/audit.md)."""

import hashlib
import json
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditAction(models.TextChoices):
    READ = "read", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    BREAK_GLASS = "break_glass", _("Break the glass")
    CONSENT = "consent", _("Consent")
    RETENTION = "retention", _("Retention")


class AppendOnlyError(Exception):
    """Raised when the application tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    """One thing that happened. Written only through trappen.audit.log, never changed."""

    sequence = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"), db_index=True)
    # No database constraint: deleting a user must not touch (update) the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    actor_profession = models.CharField(_("profession"), max_length=20, blank=True)
    # "web", "command <name>" or "system": where the entry came from.
    source = models.CharField(_("source"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_pk = models.CharField(_("object id"), max_length=64, blank=True)
    # Plain integer, not a foreign key: the entry outlives the child (retention).
    child_pk = models.PositiveBigIntegerField(_("child id"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    url_name = models.CharField(_("page name"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["child_pk", "sequence"], name="audit_child_seq"),
            models.Index(fields=["object_type", "object_pk"], name="audit_object"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def canonical(self) -> str:
        """The entry's content as canonical JSON: what its hash covers."""
        at = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return json.dumps(
            {
                "sequence": int(self.sequence),
                "at": at,
                "actor": self.actor_id,
                "actor_username": self.actor_username,
                "actor_profession": self.actor_profession,
                "source": self.source,
                "action": self.action,
                "object_type": self.object_type,
                "object_pk": self.object_pk,
                "child_pk": self.child_pk,
                "path": self.path,
                "url_name": self.url_name,
                "detail": self.detail,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()
