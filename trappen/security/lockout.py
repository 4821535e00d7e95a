"""Login throttling: capped exponential back-off per username and per address, decided before
the password is checked (docs/security.md#authentication).

Every attempt is first *reserved*: in one transaction that locks the throttle rows, it is
refused if a back-off is running, and otherwise counted as a failure at once, so parallel
attempts see each other's counts. Only then is the password checked; a right password takes
its reservation back. Three counters apply to an attempt:

- the username from this address (the pair): TRAPPEN_LOGIN_MAX_FAILURES failures in a row;
- the username from every address: TRAPPEN_LOGIN_USERNAME_MAX_FAILURES;
- the address, whatever username: TRAPPEN_LOGIN_ADDRESS_MAX_FAILURES (a municipal proxy is
  one address for everyone).

From the limit on, each failure starts a back-off of TRAPPEN_LOGIN_BACKOFF_BASE, doubled per
further failure up to TRAPPEN_LOGIN_BACKOFF_CAP; attempts during it are refused unchecked and
neither count nor extend it. A counter starts again after TRAPPEN_LOGIN_FAILURE_WINDOW without
failures (after its back-off). From an address the account logged in from within
TRAPPEN_LOGIN_KNOWN_ADDRESS, only the pair counts: someone failing at the username elsewhere
cannot keep its owner out. Unknown usernames are counted like real ones, so the answer tells
nobody which accounts exist.

Failed logins reach the audit log summarised (`_audit_failure`), not one row each.
"""

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from trappen.audit.log import record
from trappen.audit.models import AuditAction

from .models import LoginThrottle

Kind = LoginThrottle.Kind
# How many ended audit windows and stale rows one login tidies up (bounded work per request).
SWEEP_BATCH = 50


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def limit(kind: str) -> int:
    return int(
        {
            Kind.PAIR: _setting("TRAPPEN_LOGIN_MAX_FAILURES", 5),
            Kind.USERNAME: _setting("TRAPPEN_LOGIN_USERNAME_MAX_FAILURES", 20),
            Kind.ADDRESS: _setting("TRAPPEN_LOGIN_ADDRESS_MAX_FAILURES", 50),
        }[Kind(kind)]
    )


def failure_window() -> timedelta:
    return _setting("TRAPPEN_LOGIN_FAILURE_WINDOW", timedelta(minutes=15))


def backoff_cap() -> timedelta:
    return _setting("TRAPPEN_LOGIN_BACKOFF_CAP", timedelta(minutes=15))


def backoff(kind: str, failures: int) -> timedelta:
    """The wait after the `failures`-th failure in a row: base, 2 x base, 4 x base … cap."""
    base = _setting("TRAPPEN_LOGIN_BACKOFF_BASE", timedelta(seconds=1))
    excess = failures - limit(kind)
    if excess < 0:
        return timedelta()
    return min(base * 2 ** min(excess, 32), backoff_cap())


def known_address_period() -> timedelta:
    return _setting("TRAPPEN_LOGIN_KNOWN_ADDRESS", timedelta(days=30))


def _hash(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _normalised(username: str) -> str:
    return username.strip().casefold()


def username_key(username: str) -> str:
    return _hash("username", _normalised(username))


def keys_for(username: str, address: str) -> dict[str, str]:
    name = _normalised(username)
    return {
        Kind.PAIR: _hash("pair", name, address),
        Kind.USERNAME: _hash("username", name),
        Kind.ADDRESS: _hash("address", address),
    }


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRAPPEN_LOGIN_TRUSTED_PROXIES reverse
    proxies that each append to X-Forwarded-For, the entry the outermost one added."""
    if request is None:
        return ""
    proxies = int(_setting("TRAPPEN_LOGIN_TRUSTED_PROXIES", 0))
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""


@dataclass
class Attempt:
    """A reserved attempt: what it changed, so a right password can take it back."""

    username: str
    address: str
    keys: dict[str, str]
    # key → blocked_until before and after the reservation
    blocked_before: dict[str, datetime | None] = field(default_factory=dict)
    blocked_after: dict[str, datetime | None] = field(default_factory=dict)
    # The kinds whose back-off this attempt started (the first over the limit in a row).
    engaged: list[str] = field(default_factory=list)


def _locked(keys: list[str]) -> dict[str, LoginThrottle]:
    rows = LoginThrottle.objects.select_for_update().filter(key__in=keys).order_by("key")
    return {row.key: row for row in rows}


def _is_known(rows: dict[str, LoginThrottle], keys: dict[str, str], now: datetime) -> bool:
    pair = rows.get(keys[Kind.PAIR])
    return bool(pair and pair.known_until and pair.known_until > now)


def _wait(rows: dict[str, LoginThrottle], keys: dict[str, str], now: datetime) -> timedelta:
    """How long attempts are refused: the longest back-off running on a counter that applies."""
    known = _is_known(rows, keys, now)
    wait = timedelta()
    for kind, key in keys.items():
        row = rows.get(key)
        if row is None or row.blocked_until is None or (known and kind != Kind.PAIR):
            continue
        wait = max(wait, row.blocked_until - now)
    return wait


def _start_again_if_quiet(row: LoginThrottle, now: datetime) -> None:
    last = max((t for t in (row.last_failure_at, row.blocked_until) if t), default=None)
    if last is not None and now - last >= failure_window():
        row.failures, row.blocked_until = 0, None


def waiting(username: str, address: str) -> timedelta:
    """How long log-in with this username from this address is paused now (zero: it is not)."""
    now = timezone.now()
    keys = keys_for(username, address)
    rows = {r.key: r for r in LoginThrottle.objects.filter(key__in=keys.values())}
    return _wait(rows, keys, now)


def reserve(username: str, address: str) -> Attempt | None:
    """Count an attempt as a failure before its password is checked; None: refused (a back-off
    is running), and then nothing is counted."""
    now = timezone.now()
    keys = keys_for(username, address)
    with transaction.atomic():
        rows = _locked(list(keys.values()))
        if _wait(rows, keys, now) > timedelta():
            return None
        if len(rows) < len(keys):
            # New counters: created first (a parallel attempt may create them too), then locked.
            name_key = username_key(username)
            LoginThrottle.objects.bulk_create(
                [
                    LoginThrottle(
                        kind=kind,
                        key=key,
                        username_key="" if kind == Kind.ADDRESS else name_key,
                        address=(address or None) if kind != Kind.USERNAME else None,
                    )
                    for kind, key in keys.items()
                    if key not in rows
                ],
                ignore_conflicts=True,
            )
            rows = _locked(list(keys.values()))
            if _wait(rows, keys, now) > timedelta():
                return None
        attempt = Attempt(username=username, address=address, keys=keys)
        for kind, key in keys.items():
            row = rows[key]
            _start_again_if_quiet(row, now)
            attempt.blocked_before[key] = row.blocked_until
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= limit(kind):
                if row.failures == limit(kind):
                    attempt.engaged.append(kind)
                row.blocked_until = now + backoff(kind, row.failures)
            attempt.blocked_after[key] = row.blocked_until
            row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
    return attempt


def succeeded(attempt: Attempt, account: Any) -> None:
    """The right password: the pair starts again and its address becomes known; the username
    and address counters only lose this attempt's reservation (others' failures stay)."""
    now = timezone.now()
    with transaction.atomic():
        rows = _locked(list(attempt.keys.values()))
        for kind, key in attempt.keys.items():
            row = rows.get(key)
            if row is None:
                continue
            if kind == Kind.PAIR:
                row.failures, row.blocked_until = 0, None
                row.known_until = now + known_address_period()
            else:
                row.failures = max(row.failures - 1, 0)
                if row.blocked_until == attempt.blocked_after.get(key):
                    row.blocked_until = attempt.blocked_before.get(key)
            row.save(update_fields=["failures", "blocked_until", "known_until"])
        _sweep(now)


def failed(attempt: Attempt, account: Any) -> None:
    """A wrong password (already counted): decide what the audit log hears of it."""
    now = timezone.now()
    with transaction.atomic():
        _audit_failure(attempt, account, now)
        _sweep(now)


def _entry(row: LoginThrottle, event: str, address: str = "") -> None:
    detail: dict[str, Any] = {
        "event": event,
        "failures": row.window_failures,
        "since": row.window_started_at.isoformat() if row.window_started_at else "",
    }
    if row.account is not None:
        # The username of an existing account, never the text typed for an unknown one.
        detail["username"] = row.account.get_username()
    address = address or (row.address or "")
    if address:
        detail["address"] = address
    record(AuditAction.LOGIN_FAILED, row.account, detail=detail)
    row.reported_failures = row.window_failures


def _audit_failure(attempt: Attempt, account: Any, now: datetime) -> None:
    """Failed logins, summarised: an entry when a window opens (the first failure for this
    account, or for unknown usernames from this address, in TRAPPEN_LOGIN_FAILURE_WINDOW), one
    when a back-off engages, and one with the count when the window closes (`_sweep`). So
    each account and each address writes a handful of rows per window, however many attempts
    a flood sends; refused attempts write none."""
    kind = Kind.USERNAME if account is not None else Kind.ADDRESS
    row = _locked([attempt.keys[kind]]).get(attempt.keys[kind])
    if row is None:  # removed meanwhile (`trappen unlock`)
        return
    if account is not None and row.account_id != account.pk:
        row.account = account
    if row.window_started_at is not None and now - row.window_started_at >= failure_window():
        _close_window(row)
    if row.window_started_at is None:
        row.window_started_at, row.window_failures, row.reported_failures = now, 1, 0
        _entry(row, "first", attempt.address)
    else:
        row.window_failures += 1
        if attempt.engaged:
            _entry(row, "throttled", attempt.address)
    row.save(update_fields=["account", "window_started_at", "window_failures", "reported_failures"])


def _close_window(row: LoginThrottle) -> None:
    if row.window_failures > row.reported_failures:
        _entry(row, "summary")
    row.window_started_at, row.window_failures, row.reported_failures = None, 0, 0


def _sweep(now: datetime) -> None:
    """Close ended audit windows with their summary, and forget counters long quiet."""
    ended = now - failure_window()
    rows = LoginThrottle.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        window_started_at__lte=ended
    )
    for row in rows.select_related("account").order_by("window_started_at")[:SWEEP_BATCH]:
        _close_window(row)
        row.save(update_fields=["window_started_at", "window_failures", "reported_failures"])
    stale = (
        LoginThrottle.objects.filter(window_started_at__isnull=True, last_failure_at__lte=ended)
        .exclude(blocked_until__gt=ended)
        .exclude(known_until__gt=now)
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    LoginThrottle.objects.filter(pk__in=list(stale)).delete()


def clear(username: str, address: str = "") -> int:
    """Lift the back-off of a username (every address), or of an address too. The count of
    counters removed."""
    rows = LoginThrottle.objects.filter(username_key=username_key(username))
    if address:
        rows = rows | LoginThrottle.objects.filter(kind=Kind.ADDRESS, address=address)
    removed, _ = rows.filter(known_until__isnull=True).delete()
    updated = rows.exclude(known_until__isnull=True).update(failures=0, blocked_until=None)
    return removed + updated


def is_waiting(username: str) -> bool:
    """Is any back-off of this username running (from any address)?"""
    now = timezone.now()
    return LoginThrottle.objects.filter(
        username_key=username_key(username), blocked_until__gt=now
    ).exists()
