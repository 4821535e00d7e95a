"""This installation's pseudonyms (the pure rule is trappen.core.pseudonym)."""

from django.conf import settings
from django.db import transaction

from trappen.core.pseudonym import pseudonym

from .models import PseudonymSecret


def installation_secret() -> bytes:
    """settings.PSEUDONYM_SECRET when set, else this database's own secret (drawn on first use)."""
    configured = getattr(settings, "PSEUDONYM_SECRET", "")
    if configured:
        return configured.encode() if isinstance(configured, str) else bytes(configured)
    row = PseudonymSecret.objects.order_by("pk").first()
    if row is None:
        with transaction.atomic():
            PseudonymSecret.objects.create()
        # The first row wins should two processes draw at once.
        row = PseudonymSecret.objects.order_by("pk").first()
        assert row is not None
    return row.secret.encode()


def child_pseudonym(child_export_id: str) -> str:
    """The pseudonym a child with this export id has in a pseudonymised export."""
    return pseudonym(installation_secret(), "child", child_export_id)
