"""Every change to an account is in the audit log, whichever path made it (the admin, the
shell, a command): `AuditAction.ACCOUNT` on the user, with the names of the changed fields and
never a value — not a password, not its hash, not a profession (docs/administration.md).

A login is not an account change: Django saving `last_login`, or re-hashing a password with a
newer hasher when it is checked, writes nothing here (the login itself is audited).
"""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from trappen.audit.log import record
from trappen.audit.models import AuditAction

from .models import District, User

# Changes of these alone are bookkeeping, not a change someone made to the account.
NOT_AUDITED = {"last_login"}


def _audited_fields() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields if f.attname not in NOT_AUDITED]


@receiver(pre_save, sender=User)
def _remember(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    fields = _audited_fields()
    instance._audit_before = (  # type: ignore[attr-defined]
        User._base_manager.filter(pk=instance.pk).values(*fields).first()
    )


@receiver(post_save, sender=User)
def _record_save(
    sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None  # type: ignore[attr-defined]
    if created or before is None:
        record(AuditAction.ACCOUNT, instance, detail={"change": "created", "fields": []})
        return
    written = kwargs.get("update_fields")  # save(update_fields=...): only those are written
    changed = []
    for attname, old in before.items():
        if written is not None and not {attname, attname.removesuffix("_id")} & set(written):
            continue
        if getattr(instance, attname) == old:
            continue
        if attname == "password" and getattr(instance, "_password", None) is None:
            continue  # re-hashed on login (a newer hasher), not a new password
        changed.append(attname.removesuffix("_id"))
    if changed:
        record(AuditAction.ACCOUNT, instance, detail={"change": "changed", "fields": changed})


@receiver(post_delete, sender=User)
def _record_delete(sender: type[User], instance: User, **kwargs: Any) -> None:
    record(AuditAction.ACCOUNT, instance, detail={"change": "deleted", "fields": []})


def _record_m2m(field: str) -> Any:
    def receiver_(instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if action != "post_clear" and not pk_set:
            return
        users = [instance] if not reverse else list(User._base_manager.filter(pk__in=pk_set or []))
        if reverse and action == "post_clear":
            return  # a group or permission emptied from its side: the admin's path is the user's
        for user in users:
            record(AuditAction.ACCOUNT, user, detail={"change": "changed", "fields": [field]})

    return receiver_


_groups = _record_m2m("groups")
_permissions = _record_m2m("user_permissions")
m2m_changed.connect(_groups, sender=User.groups.through, weak=False)
m2m_changed.connect(_permissions, sender=User.user_permissions.through, weak=False)


# Which team serves a district decides which team's staff see its children: a district's
# changes are audited like an account's (field names only).
@receiver(pre_save, sender=District)
def _remember_district(sender: Any, instance: District, raw: bool = False, **kwargs: Any) -> None:
    before = None
    if not raw and instance.pk is not None:
        before = District._base_manager.filter(pk=instance.pk).values("team_id", "name").first()
    instance._audit_before = before  # type: ignore[attr-defined]


@receiver(post_save, sender=District)
def _record_district(
    sender: Any, instance: District, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(AuditAction.CREATE, instance, detail={"fields": ["team"]})
        return
    changed = [k.removesuffix("_id") for k, v in before.items() if getattr(instance, k) != v]
    if changed:
        record(AuditAction.UPDATE, instance, detail={"fields": changed})


def _record_group_permissions(
    instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """A group's permissions are every member's: a change is an account entry on the group."""
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action != "post_clear" and not pk_set:
        return
    record(AuditAction.ACCOUNT, instance, detail={"change": "changed", "fields": ["permissions"]})


m2m_changed.connect(_record_group_permissions, sender=Group.permissions.through, weak=False)
