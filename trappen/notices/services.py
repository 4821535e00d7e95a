"""Writes on a user's messages."""

from typing import Any

from django.utils import timezone


def mark_all_read(user: Any) -> None:
    """Every unread message of the user marked read now."""
    user.notices.filter(read_at__isnull=True).update(read_at=timezone.now())
