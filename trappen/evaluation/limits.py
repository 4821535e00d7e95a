"""The steering cannot starve the case work (F6 point 9; docs/steering.md, "Limits").

A steering page, its workbook and its report all come through `figures_for(query)`:

- **Cached**: the figures of one `Query` (period, comparison period, grouping, groups) are
  computed once and kept in `CachedFigures`, rows in the database that every worker shares,
  at most TRAPPEN_STEERING_CACHE_ENTRIES of them, each at most TRAPPEN_STEERING_CACHE_SECONDS.
  Each row is pickled and signed (HMAC-SHA256 under the secret key, which is not in the
  database): a row that someone with the database but not the key wrote or changed is never
  unpickled (unpickling runs code). The key holds the *data version*, a random token that
  every change of the data the figures come from replaces: an import
  (`interchange.signals.data_imported`) and every save of a child, case, episode, follow-up,
  complaint, notification, activity, district, group, team or intervention
  (`steering_data.database.READ_MODELS`), and of an assignment, a follow-up exception, a
  provider's report or a cadence rule (`WATCHED`), once per transaction, after it commits.
  So figures are never shown from before a change made through the models; what bypasses them
  (a bulk update or delete) is out of the cache after TRAPPEN_STEERING_CACHE_SECONDS at most.
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
import hmac
import logging
import pickle  # noqa: S403  (only of rows whose signature under the secret key matches)
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from trappen.common.replica import on_replica
from trappen.evaluation.figures import Figures, Query, compute
from trappen.evaluation.models import CachedFigures, EvaluationSlot
from trappen.evaluation.targets import followup_days
from trappen.followups.history import on_time_history
from trappen.steering_data.database import READ_MODELS, dataset_from_database
from trappen.steering_data.quality import figures as quality_figures

VERSION_KEY = "data-version"
RETRY_AFTER_SECONDS = 10
FOREVER = timedelta(days=365 * 100)

log = logging.getLogger(__name__)

# The models whose saves change the figures (what the read model reads, the assignments the
# quality figures count: Query.quality, and what follow-ups on time over time plan from beside
# the follow-ups: the exceptions, the provider's reports and the rule sets).
WATCHED = (
    *READ_MODELS,
    "cases.CaseAssignment",
    "followups.FollowUpException",
    "followups.ProviderReport",
    "followups.CadenceRuleSet",
    "followups.CadenceRule",
)


class Busy(Exception):
    """Every evaluation slot is taken: the figures are being computed for others."""

    retry_after = RETRY_AFTER_SECONDS


# --- The shared cache ----------------------------------------------------------------------


def _signature(key: str, value: bytes) -> str:
    return salted_hmac(
        "trappen.evaluation.limits", key.encode() + b"\0" + value, algorithm="sha256"
    ).hexdigest()


def cache_get(key: str) -> bytes | None:
    """The value kept under `key`, if it has not expired and its signature matches."""
    row = (
        CachedFigures.objects.filter(key=key, expires_at__gt=timezone.now())
        .values_list("value", "signature")
        .first()
    )
    if row is None:
        return None
    value = bytes(row[0])
    if not hmac.compare_digest(_signature(key, value), row[1]):
        log.warning("The steering's cached %r has a wrong signature: ignored.", key)
        return None
    return value


def cache_set(key: str, value: bytes, seconds: float | None = None) -> None:
    """Keep `value` under `key`; past TRAPPEN_STEERING_CACHE_ENTRIES, the expired entries and
    then those that expire first go."""
    ttl = FOREVER if seconds is None else timedelta(seconds=seconds)
    CachedFigures.objects.update_or_create(
        key=key,
        defaults={
            "value": value,
            "signature": _signature(key, value),
            "expires_at": timezone.now() + ttl,
        },
    )
    cap = settings.TRAPPEN_STEERING_CACHE_ENTRIES
    if CachedFigures.objects.count() > cap:
        CachedFigures.objects.filter(expires_at__lte=timezone.now()).delete()
        keep = CachedFigures.objects.order_by("-expires_at").values_list("key", flat=True)[:cap]
        CachedFigures.objects.exclude(Q(key__in=list(keep)) | Q(key=VERSION_KEY)).delete()


# --- The data version ---------------------------------------------------------------------


def data_version() -> str:
    version = cache_get(VERSION_KEY)
    if version is None:
        fresh = secrets.token_hex(8).encode()
        try:
            with transaction.atomic():
                CachedFigures.objects.filter(key=VERSION_KEY).delete()  # a bad signature
                CachedFigures.objects.create(
                    key=VERSION_KEY,
                    value=fresh,
                    signature=_signature(VERSION_KEY, fresh),
                    expires_at=timezone.now() + FOREVER,
                )
        except IntegrityError:  # another worker made one first
            pass
        version = cache_get(VERSION_KEY) or fresh
    return version.decode()


def data_changed() -> None:
    """The data the figures come from changed: no result computed before is shown again.
    One UPDATE (it runs after every transaction that saves case data)."""
    fresh = secrets.token_hex(8).encode()
    signature = _signature(VERSION_KEY, fresh)
    if not CachedFigures.objects.filter(key=VERSION_KEY).update(value=fresh, signature=signature):
        data_version()  # none yet: a new one


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
    try:
        have = set(EvaluationSlot.objects.filter(number__lte=cap).values_list("number", flat=True))
        if missing := [EvaluationSlot(number=n) for n in range(1, cap + 1) if n not in have]:
            EvaluationSlot.objects.bulk_create(missing, ignore_conflicts=True)
    except OperationalError as error:  # SQLite: another worker is writing the table
        log.warning("No evaluation slot taken: %s", error)
        return None
    now = timezone.now()
    until = now + timedelta(seconds=settings.TRAPPEN_STEERING_LEASE_SECONDS)
    token = secrets.token_hex(16)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    for number in range(1, cap + 1):
        # One statement: of two workers trying the same slot, one updates it, the other none.
        try:
            if EvaluationSlot.objects.filter(free, number=number).update(
                token=token, lease_until=until
            ):
                return Slot(number, token)
        except OperationalError as error:  # SQLite: another worker is writing the table
            log.warning("Evaluation slot %s not taken: %s", number, error)
    return None


def release_slot(slot: Slot) -> None:
    try:
        EvaluationSlot.objects.filter(number=slot.number, token=slot.token).update(
            token="", lease_until=None
        )
    except OperationalError as error:  # the slot frees itself when its lease runs out
        log.warning("Evaluation slot %s not given back: %s", slot.number, error)


# --- The figures --------------------------------------------------------------------------


# The shape of the pickled Figures: a new one (e.g. typed reports) never unpickles an old row.
# 3: the targets' trend and the quality figures kept with them (Query.trend, Query.quality).
# 4: follow-ups on time over time (Figures.followups).
FORMAT = 4


def cache_key(query: Query, version: str) -> str:
    digest = hashlib.sha256(repr(query).encode()).hexdigest()
    return f"figures:{FORMAT}:{version}:{digest}"


def figures_for(query: Query) -> Figures:
    """The figures of `query` over the whole database: from the cache, or computed in a free
    slot and kept; `Busy` when every slot is taken. With `Query.quality` the quality figures
    (caseworker changes, complaints: `steering_data.quality`) are read and kept with them;
    with `Query.trend` by group, follow-ups on time over time (`followups.history`) too."""
    key = cache_key(query, data_version())  # the version before the data, see above
    if (kept := _cached(key)) is not None:
        return kept
    slot = acquire_slot()
    if slot is None:
        raise Busy
    try:
        if (kept := _cached(key)) is not None:  # another worker computed it meanwhile
            return kept
        with on_replica():  # the read replica, when there is one (docs/deploy.md)
            dataset = dataset_from_database()
            quality = quality_figures(query.period) if query.quality else None
            followups = None
            if query.trend and query.group_by == "group":
                days = followup_days(query.period, query.before, timezone.localdate())
                followups = on_time_history(days)
        figures = compute(dataset, query)
        if quality is not None or followups is not None:
            figures = replace(figures, quality=quality, followups=followups)
        cache_set(key, pickle.dumps(figures), settings.TRAPPEN_STEERING_CACHE_SECONDS)
    finally:
        release_slot(slot)
    return figures


def _cached(key: str) -> Figures | None:
    value = cache_get(key)
    if value is None:
        return None
    figures = pickle.loads(value)  # noqa: S301  (signed under the secret key: written by us)
    return figures if isinstance(figures, Figures) else None
