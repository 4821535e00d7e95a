"""Writes of the private calendar address (the feed of one's own follow-ups)."""

from typing import Any

from django.db import transaction

from trappen.audit.log import record as audit_record
from trappen.audit.models import AuditAction

from .models import CalendarFeed


def stop(user: Any) -> None:
    """The user's calendar address stops answering at once."""
    with transaction.atomic():
        for feed in CalendarFeed.objects.filter(user=user):
            audit_record(AuditAction.DELETE, feed, detail={"calendar_feed": "stopped"})
            feed.delete()


def issue(user: Any) -> str:
    """A new address (the old one stopping); the token, shown this once (only its hash is kept)."""
    with transaction.atomic():
        feed, token = CalendarFeed.issue(user)
        audit_record(AuditAction.CREATE, feed, detail={"calendar_feed": "new address"})
    return token
