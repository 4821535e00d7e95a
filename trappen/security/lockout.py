"""Lockout after repeated failed logins.

TRAPPEN_LOGIN_MAX_FAILURES failures for one username within TRAPPEN_LOGIN_FAILURE_WINDOW
lock that username for TRAPPEN_LOGIN_LOCKOUT, whether or not the account exists (so the lock
tells nobody which usernames are real). A successful login clears the count.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginThrottle


def max_failures() -> int:
    return int(getattr(settings, "TRAPPEN_LOGIN_MAX_FAILURES", 5))


def failure_window() -> timedelta:
    return getattr(settings, "TRAPPEN_LOGIN_FAILURE_WINDOW", timedelta(minutes=15))


def lockout_period() -> timedelta:
    return getattr(settings, "TRAPPEN_LOGIN_LOCKOUT", timedelta(minutes=15))


def key_for(username: str) -> str:
    normalised = username.strip().casefold().encode()
    return hmac.new(settings.SECRET_KEY.encode(), normalised, hashlib.sha256).hexdigest()


def is_locked(username: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return LoginThrottle.objects.filter(key=key_for(username), locked_until__gt=now).exists()


def record_failure(username: str) -> bool:
    """Count one failed login; True when the username is (now) locked."""
    now = timezone.now()
    with transaction.atomic():
        throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key_for(username))
        if throttle.locked_until and throttle.locked_until > now:
            return True  # attempts during a lock neither count nor extend it
        started = throttle.window_started_at
        if started is None or now - started > failure_window():
            throttle.failures, throttle.window_started_at = 0, now
        throttle.failures += 1
        throttle.locked_until = None
        if throttle.failures >= max_failures():
            throttle.locked_until = now + lockout_period()
            throttle.failures, throttle.window_started_at = 0, None
        throttle.save()
        return throttle.locked_until is not None


def clear(username: str) -> None:
    LoginThrottle.objects.filter(key=key_for(username)).delete()
