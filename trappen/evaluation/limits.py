"""The steering cannot starve the case work (F6 point 9; docs/steering.md, "Limits").

A steering page, its workbook and its report all come through `figures_for(query)`:

- **Cached**: the figures of one `Query` (period, comparison period, grouping, groups) are
  computed once and kept in `caches["steering"]`, a cache in the database that every worker
  shares, bounded by its MAX_ENTRIES and TIMEOUT (settings.CACHES). The key holds the *data
  version*, a random token that every change of the data the figures come from replaces: an
  import (`interchange.signals.data_imported`) and every save of a child, case, episode,
  follow-up, complaint, district, group, team or intervention, once per transaction, after it
  commits. So figures are never shown from before a change made through the models; what
  bypasses them (a bulk update or delete) is out of the cache after TIMEOUT at the latest.
  The version is read before the data: a result computed while a change commits is stored
  under the version the change then replaces, and never shown.
- **Capped**: at most settings.TRAPPEN_STEERING_MAX_EVALUATIONS evaluations run at once,
  across every worker process: each takes one of that many `EvaluationSlot` rows with a
  conditional UPDATE, and gives it back when done (a crashed worker's slot frees itself when
  its lease, TRAPPEN_STEERING_LEASE_SECONDS, runs out). When every slot is taken, `Busy` is
  raised at once, and the page says "try again in a moment" (503) instead of holding a
  worker that caseworkers' pages need. Cached figures need no slot.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trappen.evaluation.figures import Figures, Query, compute
from trappen.evaluation.models import EvaluationSlot

# After every "figures:" key, so that the cache's culling (lowest keys first) takes results
# before it takes the version; a version that is culled anyway only costs recomputing.
VERSION_KEY = "zz-data-version"
RETRY_AFTER_SECONDS = 10

# The models whose saves change the figures (what `export_dataset` reads).
WATCHED = (
    "cases.Child",
    "cases.Case",
    "cases.Complaint",
    "measures.Episode",
    "followups.FollowUp",
    "organisation.District",
    "organisation.DistrictGroup",
    "organisation.Team",
    "catalogue.Intervention",
)


class Busy(Exception):
    """Every evaluation slot is taken: the figures are being computed for others."""

    retry_after = RETRY_AFTER_SECONDS


def _cache() -> BaseCache:
    return caches["steering"]


# --- The data version ---------------------------------------------------------------------


def data_version() -> str:
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return str(version)


def data_changed() -> None:
    """The data the figures come from changed: no result computed before is shown again."""
    _cache().set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def data_changed_on_commit(**_kwargs: Any) -> None:
    """`data_changed` once the transaction commits (at once outside one); once per transaction,
    however many rows it saves."""
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(entry[1] is data_changed for entry in pending):
        return
    transaction.on_commit(data_changed, robust=True)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_save

    from trappen.interchange.signals import data_imported

    for label in WATCHED:
        post_save.connect(
            data_changed_on_commit, sender=apps.get_model(label), dispatch_uid=f"steering:{label}"
        )
    data_imported.connect(data_changed_on_commit, dispatch_uid="steering:import")


# --- The slots ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    number: int
    token: str


def acquire_slot() -> Slot | None:
    """A free evaluation slot, now held by the caller; None when every slot is taken."""
    cap = settings.TRAPPEN_STEERING_MAX_EVALUATIONS
    have = set(EvaluationSlot.objects.filter(number__lte=cap).values_list("number", flat=True))
    if missing := [EvaluationSlot(number=n) for n in range(1, cap + 1) if n not in have]:
        EvaluationSlot.objects.bulk_create(missing, ignore_conflicts=True)
    now = timezone.now()
    until = now + timedelta(seconds=settings.TRAPPEN_STEERING_LEASE_SECONDS)
    token = secrets.token_hex(16)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    for number in range(1, cap + 1):
        # One statement: of two workers trying the same slot, one updates it, the other none.
        if EvaluationSlot.objects.filter(free, number=number).update(
            token=token, lease_until=until
        ):
            return Slot(number, token)
    return None


def release_slot(slot: Slot) -> None:
    EvaluationSlot.objects.filter(number=slot.number, token=slot.token).update(
        token="", lease_until=None
    )


# --- The figures --------------------------------------------------------------------------


def cache_key(query: Query, version: str) -> str:
    return f"figures:{version}:{hashlib.sha256(repr(query).encode()).hexdigest()}"


def figures_for(query: Query) -> Figures:
    """The figures of `query` over the whole database: from the cache, or computed in a free
    slot and kept; `Busy` when every slot is taken."""
    cache = _cache()
    key = cache_key(query, data_version())  # the version before the data, see above
    figures = cache.get(key)
    if figures is not None:
        return figures  # type: ignore[no-any-return]
    slot = acquire_slot()
    if slot is None:
        raise Busy
    try:
        figures = cache.get(key)  # another worker may have computed it meanwhile
        if figures is None:
            from trappen.interchange.services import export_dataset

            figures = compute(export_dataset(), query)
            cache.set(key, figures)
    finally:
        release_slot(slot)
    return figures  # type: ignore[no-any-return]
