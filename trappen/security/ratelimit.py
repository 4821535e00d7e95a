"""Per-user limits on looking children up by CPR number (F6 point 6, docs/security.md).

Counted in the database (`security.LookupCounter`, fixed windows), so the limit holds across
web processes. The notification form's lookup, registering a notification and the access
report's lookup share one budget per user: TRAPPEN_CPR_LOOKUPS_PER_MINUTE and
TRAPPEN_CPR_LOOKUPS_PER_DAY.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LookupCounter

MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)
# Counters older than this are removed (a few per lookup).
KEEP = timedelta(days=2)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # The first refused lookup of a window: the one that says so in the audit log.
    first_refusal: bool = False
    message: str = ""


def _window_start(now: datetime, period: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=now.tzinfo)
    return epoch + ((now - epoch) // period) * period


def limits() -> list[tuple[timedelta, int]]:
    return [
        (MINUTE, int(getattr(settings, "TRAPPEN_CPR_LOOKUPS_PER_MINUTE", 10))),
        (DAY, int(getattr(settings, "TRAPPEN_CPR_LOOKUPS_PER_DAY", 200))),
    ]


def refusal_message(period: timedelta) -> str:
    if period <= MINUTE:
        return _("Too many CPR lookups in a minute. Wait a minute and try again.")
    return _("Too many CPR lookups today. Try again tomorrow, or contact your team leader.")


def cpr_lookup(user: Any) -> Verdict:
    """Count one CPR lookup by `user`; refused when a limit is already reached (a refused
    lookup is counted once, to tell the first refusal, and then no more)."""
    now = timezone.now()
    base = f"cpr-lookup:{user.pk}"
    windows = {
        (f"{base}:{int(period.total_seconds())}", _window_start(now, period)): (period, limit)
        for period, limit in limits()
    }
    with transaction.atomic():
        LookupCounter.objects.bulk_create(
            [LookupCounter(key=key, window_start=start) for key, start in windows],
            ignore_conflicts=True,
        )
        counters = []
        for (key, start), (period, limit) in windows.items():
            counter = LookupCounter.objects.select_for_update().get(key=key, window_start=start)
            counters.append((counter, period, limit))
        refused = [(c, period, limit) for c, period, limit in counters if c.count >= limit]
        if refused:
            counter, period, limit = refused[-1]  # the longest period says the most
            first = any(c.count == limit for c, _p, limit in refused)
            for c, _p, limit in refused:
                if c.count == limit:
                    LookupCounter.objects.filter(pk=c.pk).update(count=limit + 1)
            return Verdict(False, first_refusal=first, message=refusal_message(period))
        for counter, _period, _limit in counters:
            LookupCounter.objects.filter(pk=counter.pk).update(count=counter.count + 1)
        stale = LookupCounter.objects.filter(window_start__lt=now - KEEP)
        LookupCounter.objects.filter(pk__in=list(stale.values_list("pk", flat=True)[:20])).delete()
    return Verdict(True)
