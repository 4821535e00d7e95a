"""API tokens: one per system that talks to trappen, owned by that system's account.

The token itself is shown once when it is made (`trappen api_token create`); only its SHA-256
is stored, so a copy of the database gives nobody a working token. A token reads exactly what
the policy lets its owner read, and only within its scopes (docs/api.md).
"""

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The text every token starts with, so that a secret scanner (and a person) recognises one.
PREFIX = "trappen_"


class Scope(models.TextChoices):
    READ_CASES = "read:cases", _("Read children, cases, episodes and follow-ups")
    READ_CPR = "read:cpr", _("See CPR numbers in full and look children up by CPR number")
    READ_STEERING = "read:steering", _("Read the steering's key figures")
    WRITE_INTERCHANGE = "write:interchange", _("Import the CSV interchange tables")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime | None = None) -> "ApiTokenQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("system account"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters after the prefix, to tell tokens apart in lists and logs.
    hint = models.CharField(_("begins with"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(
        cls, user: Any, name: str, scopes: list[str], expires_at: datetime | None = None
    ) -> tuple["ApiToken", str]:
        """A new token for `user`: the row, and the token itself, which is not kept."""
        unknown = set(scopes) - set(Scope.values)
        if unknown:
            raise ValueError(f"unknown scope(s): {', '.join(sorted(unknown))}")
        secret = secrets.token_urlsafe(32)
        token = PREFIX + secret
        row = cls.objects.create(
            user=user,
            name=name,
            hint=secret[:8],
            token_hash=digest(token),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
        )
        return row, token

    @classmethod
    def find(cls, token: str) -> "ApiToken | None":
        """The usable token `token` is, with its active owner; None for anything else."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        row = (
            cls.objects.usable()
            .select_related("user")
            .filter(token_hash=digest(token), user__is_active=True)
            .first()
        )
        return row

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
