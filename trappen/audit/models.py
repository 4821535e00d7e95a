"""The audit log: append-only entries in keyed hash chains, anchored by checkpoints
(docs/audit.md)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


def audit_key() -> bytes:
    """The key every entry and checkpoint is signed with; it lives outside the database."""
    return str(settings.TRAPPEN_AUDIT_KEY).encode()


def key_id(key: bytes | None = None) -> str:
    """A short public name of the key, so that verify can tell "signed with another key"."""
    return hmac.new(key or audit_key(), b"trappen-audit-key-id", hashlib.sha256).hexdigest()[:16]


def sign(prev: str, canonical: str, key: bytes | None = None) -> str:
    return hmac.new(key or audit_key(), (prev + canonical).encode(), hashlib.sha256).hexdigest()


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
    LOOKUP = "lookup", _("Looked up")
    ACCOUNT = "account", _("Account changed")
    EMAIL = "email", _("E-mail sent")


class AppendOnlyError(Exception):
    """Raised when the application tries to change or remove an audit entry."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def about_child(self, child_pk: int) -> "AuditEntryQuerySet":
        """Entries naming the child: its own column, or one of the objects a page showed."""
        named = AuditEntryChild.objects.filter(child_pk=child_pk).values("entry_id")
        return self.filter(Q(child_pk=child_pk) | Q(pk__in=named))

    def about_object(self, object_type: str, object_pk: Any) -> "AuditEntryQuerySet":
        """Entries naming one object. A page's READ of many objects is found through its
        child (about_child) and then `AuditEntry.shown()`."""
        return self.filter(object_type=object_type, object_pk=str(object_pk))


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(AppendOnlyModel):
    """One thing that happened, or everything one request was shown.

    Written only through trappen.audit.log, never changed. Each writer (a thread of a process)
    appends to a chain of its own, its `lane`, so that writers never wait for each other; in a
    lane `sequence` counts 1, 2, 3 … and `hash` is HMAC-SHA256 under TRAPPEN_AUDIT_KEY of the
    previous entry's hash and this entry's canonical content.
    """

    lane = models.CharField(_("chain"), max_length=32)
    sequence = models.PositiveBigIntegerField(_("number"))
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
    # A page that showed several objects: [[object_type, object_pk, child_pk], …] in one entry.
    objects_shown = models.JSONField(_("objects shown"), default=list, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    url_name = models.CharField(_("page name"), max_length=200, blank=True)
    status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    key_id = models.CharField(max_length=16)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["id"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["lane", "sequence"], name="audit_lane_sequence")
        ]
        indexes = [
            models.Index(fields=["child_pk", "id"], name="audit_child_id"),
            models.Index(fields=["object_type", "object_pk"], name="audit_object"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.lane}:{self.sequence} {self.action} {self.object_type} {self.object_pk}"

    @property
    def place(self) -> str:
        """Where the entry stands, as verify names it: chain and number."""
        return f"{self.lane}:{self.sequence}"

    def shown(self) -> list[tuple[str, str, int | None]]:
        """The objects the entry is about: its own object or the list a page showed."""
        if self.objects_shown:
            return [(str(t), str(p), c) for t, p, c in self.objects_shown]
        if self.object_type:
            return [(self.object_type, self.object_pk, self.child_pk)]
        return []

    def canonical(self) -> str:
        """The entry's content as canonical JSON: what its hash covers."""
        return json.dumps(
            {
                "lane": self.lane,
                "sequence": int(self.sequence),
                "at": _utc(self.at),
                "actor": self.actor_id,
                "actor_username": self.actor_username,
                "actor_profession": self.actor_profession,
                "source": self.source,
                "action": self.action,
                "object_type": self.object_type,
                "object_pk": self.object_pk,
                "child_pk": self.child_pk,
                "objects_shown": self.objects_shown,
                "path": self.path,
                "url_name": self.url_name,
                "status": self.status,
                "detail": self.detail,
                "key_id": self.key_id,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def compute_hash(self, key: bytes | None = None) -> str:
        return sign(self.prev_hash, self.canonical(), key)


class AuditEntryChild(AppendOnlyModel):
    """Index: a child one of the objects of a many-object entry belongs to, so that "who has
    seen this child?" stays one indexed query. Derived from the entry (which its hash covers);
    verify checks that the index still says what the entries say."""

    entry = models.ForeignKey(
        AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    child_pk = models.PositiveBigIntegerField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["child_pk", "entry"], name="audit_child_entry")
        ]


class AuditCheckpoint(AppendOnlyModel):
    """A signed note of how far the log was verified: each chain's last entry then.

    Written by `trappen audit verify` (and the daily job) and copied to the anchor file outside
    the database, so that entries cut off the end of a chain are found, and the next verify
    starts here instead of re-reading years of log.
    """

    number = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    # The highest entry id seen; the next incremental verify reads the entries after it.
    last_entry_id = models.PositiveBigIntegerField(default=0)
    # {lane: [sequence, hash]} for the chains that grew since the previous checkpoint.
    heads = models.JSONField(default=dict)
    entries = models.PositiveBigIntegerField(default=0)  # verified since the previous one
    full = models.BooleanField(default=False)  # the whole log was read for this one
    key_id = models.CharField(max_length=16)
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["number"]

    def canonical(self) -> str:
        return json.dumps(
            {
                "number": int(self.number),
                "at": _utc(self.at),
                "last_entry_id": int(self.last_entry_id),
                "heads": self.heads,
                "entries": int(self.entries),
                "full": bool(self.full),
                "key_id": self.key_id,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    def compute_mac(self, key: bytes | None = None) -> str:
        return sign(self.prev_mac, self.canonical(), key)
