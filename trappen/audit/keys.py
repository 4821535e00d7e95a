"""The audit key in production: from the environment, never drawn on the server by itself."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_production_key() -> None:
    """Refuse to serve without TRAPPEN_AUDIT_KEY, unless this is the local demo (DEBUG).

    A key drawn into var/ on the server would sit next to the database it protects and change
    unnoticed when var/ is lost; production states its key, kept where the database is not.
    """
    if settings.DEBUG or settings.TRAPPEN_AUDIT_KEY_SOURCE == "environment":
        return
    raise ImproperlyConfigured(
        "TRAPPEN_AUDIT_KEY is not set: the audit log's signing key must come from the "
        "environment in production (docs/audit.md)."
    )
