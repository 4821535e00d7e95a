"""`may` and `require`: the one question every view asks about an object."""

from typing import Any

from django.core.exceptions import PermissionDenied

from trappen.cases.models import Case
from trappen.intake.models import Notification
from trappen.organisation.models import Team

from .base import Action, active, is_leader_of
from .cases import may_case
from .notifications import may_notification, may_register


def may(user: Any, action: Action, obj: Any = None) -> bool:
    if not active(user):
        return False
    if isinstance(obj, Case):
        return may_case(user, action, obj)
    if isinstance(obj, Notification):
        return may_notification(user, action, obj)
    if isinstance(obj, Team):
        return action is Action.ASSIGN and is_leader_of(user, obj)
    if obj is None and action is Action.REGISTER:
        return may_register(user)
    return False


def require(user: Any, action: Action, obj: Any = None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied
