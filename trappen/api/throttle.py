"""A general rate limit per API token (docs/api.md, "Limits").

TRAPPEN_API_CALLS_PER_MINUTE calls per token in each clock minute, counted in the database
(`security.LookupCounter`, one row per token and minute, one atomic UPDATE per call), so the
limit holds across every worker and machine. A call over it answers 429 with Retry-After (the
seconds to the next minute). The first refused call of a minute is written to the audit log and
the log, naming the token's number and account, never the token.
"""

import logging
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.throttling import BaseThrottle

from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.security.models import LookupCounter

from .models import ApiToken

MINUTE = timedelta(minutes=1)
KEEP = timedelta(hours=1)  # a token's counters older than this go when its next minute starts
log = logging.getLogger("trappen.api")


def _minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def count_call(token: ApiToken, now: datetime) -> int:
    """Count one call of `token` in the minute of `now`; the calls of that minute so far."""
    key, start = f"api-token:{token.pk}", _minute(now)
    with transaction.atomic():
        LookupCounter.objects.bulk_create(
            [LookupCounter(key=key, window_start=start)], ignore_conflicts=True
        )
        counter = LookupCounter.objects.filter(key=key, window_start=start)
        counter.update(count=F("count") + 1)
        calls = int(counter.values_list("count", flat=True).get())
        if calls == 1:  # the minute's first call: the token's old minutes go
            LookupCounter.objects.filter(key=key, window_start__lt=start - KEEP).delete()
    return calls


class TokenRateThrottle(BaseThrottle):
    """Runs after the authentication: `request.auth` is the token."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return True
        limit = int(settings.TRAPPEN_API_CALLS_PER_MINUTE)
        calls = count_call(token, timezone.now())
        if calls <= limit:
            return True
        if calls == limit + 1:  # once a minute, however many calls are refused
            detail = {"api_token": token.pk, "refused": "rate limit", "limit_per_minute": limit}
            record(AuditAction.READ, user=token.user, detail=detail)
            log.warning(
                "API token %s (%s) over %s calls a minute: refused until the minute ends",
                token.pk,
                token.user,
                limit,
            )
        return False

    def wait(self) -> float:
        now = timezone.now()
        return max(1, math.ceil((_minute(now) + MINUTE - now).total_seconds()))
