"""What the audit log hears without being asked: writes to case data, logins, commands.

Case-data models (CASE_DATA_MODELS, plus every model of the consent app): each create, change
and delete through the ORM writes an entry naming the changed fields, never their values.
Queryset `update()` and `bulk_create()` send no signals; imports and the demo build are
summarised by one entry instead (`bulk`).
"""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from . import log
from .models import AuditAction, AuditEntry

CASE_DATA_MODELS = (
    "cases.Child",
    "cases.Case",
    "cases.CaseAssignment",
    "cases.JournalEntry",
    "cases.EarlyStep",
    "cases.Transfer",
    "cases.Handover",
    "cases.Complaint",  # also the complaints `trappen import` brings in (summarised there)
    "intake.Notification",
    "investigations.ChildInvestigation",
    "investigations.NetworkMapEntry",
    "investigations.AreaAssessment",
    "plans.ActionPlan",
    "plans.ActionPlanRevision",
    "plans.Goal",
    "measures.Episode",
    "measures.Movement",
    "measures.VisitationRequest",
    "followups.FollowUp",
    "followups.FollowUpException",
    "followups.GoalRating",
    "network.NetworkMeeting",
    "network.Participant",
    "activities.Activity",  # fmt: skip
    "meetings.AgendaItem",
    "meetings.Submission",
    "meetings.Agreement",  # fmt: skip
    "wellbeing.SdqMeasurement",
    "drafts.Draft",  # a journal note or minutes being typed (F10 point 2)
)
# Consent records are case data too; the app's models are being built in parallel (F4).
CASE_DATA_APPS = ("consent",)

# Commands whose writes are summarised in one entry, and the action of that entry.
BULK_COMMANDS = {"import": AuditAction.IMPORT, "demo": AuditAction.IMPORT}


def case_data_models() -> list[type[Model]]:
    models = [apps.get_model(label) for label in CASE_DATA_MODELS]
    for app_label in CASE_DATA_APPS:
        models += [m for m in apps.get_app_config(app_label).get_models() if m not in models]
    return models


def _changed_fields(instance: Model, update_fields: Any) -> list[str] | None:
    """Names of the concrete fields whose stored value this save changes (None: a create)."""
    if instance._state.adding or instance.pk is None:
        return None
    model = type(instance)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if update_fields:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    old = (
        model._base_manager.using(instance._state.db or "default")
        .filter(pk=instance.pk)
        .values(*[f.attname for f in fields])
        .first()
    )
    if old is None:
        return None
    return sorted(f.name for f in fields if old[f.attname] != getattr(instance, f.attname))


def _pre_save(sender: type[Model], instance: Model, update_fields: Any = None, **_: Any) -> None:
    ctx = log.current()
    if ctx is not None and ctx.bulk is not None:
        return
    instance._audit_changed = _changed_fields(instance, update_fields)  # type: ignore[attr-defined]


def _post_save(sender: type[Model], instance: Model, created: bool, **_: Any) -> None:
    ctx = log.current()
    if ctx is not None and ctx.bulk is not None:
        counts = ctx.bulk.setdefault(log.label_of(instance), {})
        key = "created" if created else "changed"
        counts[key] = counts.get(key, 0) + 1
        return
    changed = getattr(instance, "_audit_changed", None)
    instance.__dict__.pop("_audit_changed", None)
    if created or changed is None:
        log.append(AuditAction.CREATE, obj=instance)
    elif changed:
        log.append(AuditAction.UPDATE, obj=instance, detail={"fields": changed})


def _pre_delete(sender: type[Model], instance: Model, **_: Any) -> None:
    try:
        instance._audit_child_pk = log.child_pk_of(instance)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a parent already gone must not stop the delete
        instance._audit_child_pk = None  # type: ignore[attr-defined]


def _post_delete(sender: type[Model], instance: Model, **_: Any) -> None:
    ctx = log.current()
    if ctx is not None and ctx.bulk is not None:
        counts = ctx.bulk.setdefault(log.label_of(instance), {})
        counts["deleted"] = counts.get("deleted", 0) + 1
        return
    log.append(
        AuditAction.DELETE,
        object_type=log.label_of(instance),
        object_pk=str(instance.pk),
        child_pk=getattr(instance, "_audit_child_pk", None),
    )


def _logged_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    log.append(AuditAction.LOGIN, user=user)


def _logged_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    log.append(AuditAction.LOGOUT, user=user)


def connect() -> None:
    for model in case_data_models():
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    # Failed logins are summarised by the login throttle (trappen/security/lockout.py).


def _counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in case_data_models()}


@contextmanager
def command(name: str, options: dict[str, Any]) -> Iterator[None]:
    """Attribute what a management command does to it, and log its exports and imports."""
    bulk_action = BULK_COMMANDS.get(name)
    ctx = log.Context(source=f"command {name}", bulk={} if bulk_action else None)
    # An import's summary is written in the import's own transaction.
    atomic = transaction.atomic() if name == "import" else nullcontext()
    with log.context(ctx), atomic:
        before = _counts() if bulk_action else {}
        yield
        if bulk_action:
            after = _counts()
            rows = {k: after[k] - before[k] for k in after if after[k] != before[k]}
            saved = ctx.bulk or {}
            ctx.bulk = None
            if rows or saved:
                log.append(bulk_action, detail={"rows": rows, "saved": saved, **_where(options)})
        elif name == "export":
            log.append(AuditAction.EXPORT, detail={"rows": _counts(), **_where(options)})
        elif name == "evaluate" and options.get("xlsx") and options.get("source") == "db":
            # From a CSV folder the database is not read: nothing of it leaves.
            log.append(AuditAction.EXPORT, detail=_where(options))


def _where(options: dict[str, Any]) -> dict[str, str]:
    """Where the data came from or went (paths typed by the operator; no case data)."""
    keys = ("folder", "source", "xlsx")
    return {k: str(options[k]) for k in keys if options.get(k) is not None}


_installed = False


def install_command_hook() -> None:
    """Wrap BaseCommand.execute so every command runs in an audit context named after it.

    Done here rather than in each command so that the commands need not know about auditing;
    `audit` itself is left alone (verifying must not write).
    """
    global _installed
    if _installed:
        return
    from django.core.management.base import BaseCommand

    original = BaseCommand.execute

    def execute(self: BaseCommand, *args: Any, **options: Any) -> Any:
        name = type(self).__module__.rsplit(".", 1)[-1]
        # Servers set the audit context per request, not for their whole run.
        skip = {"audit", "migrate", "makemigrations", "test", "flush", "serve", "runserver"}
        if name in skip or log.current():
            return original(self, *args, **options)
        with command(name, options):
            return original(self, *args, **options)

    BaseCommand.execute = execute  # type: ignore[method-assign]
    _installed = True


__all__ = ["AuditEntry", "command", "connect", "install_command_hook"]
