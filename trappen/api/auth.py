"""Bearer tokens, scopes and the audit entries of refused calls (docs/api.md).

`TokenAuth` is the API's only authentication: a session cookie is never accepted, so a browser
that is logged in cannot be made to call the API. The token's owner becomes `request.user`, so
the policy decides what the call may read and the audit log names the owner.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from trappen.audit.log import record
from trappen.audit.models import AuditAction

from .models import ApiToken, Scope

# `last_used_at` is written at most this often per token, not on every call.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        row = ApiToken.find(token)
        if row is None:
            return None  # 401: missing, unknown, revoked, expired or its account inactive
        now = timezone.now()
        ApiToken.objects.filter(pk=row.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        # The policy and the audit log both read the user from the request.
        request.user = row.user
        return row


def token_of(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined]


# The audit action a refused call is recorded under, by scope.
REFUSED_AS = {
    Scope.READ_CASES: AuditAction.READ,
    Scope.READ_CPR: AuditAction.LOOKUP,
    Scope.READ_STEERING: AuditAction.READ,
    Scope.WRITE_INTERCHANGE: AuditAction.IMPORT,
}


def refuse(request: HttpRequest, action: str, status: int, **detail: Any) -> HttpError:
    """Record a refused call (ids and reasons only, never a CPR number or a name) and give the
    error to raise: 403 for what the token may not do, 404 for what its user may not see."""
    token = token_of(request)
    record(action, user=request.user, detail={"api_token": token.pk, **detail})
    if status == 404:
        return HttpError(404, _("Not found."))
    return HttpError(status, _("This token may not do this."))


def requires(scope: Scope) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The operation needs `scope`: without it, 403 and an audit entry saying so."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not token_of(request).has_scope(scope):
                raise refuse(request, REFUSED_AS[scope], 403, refused="scope", scope=str(scope))
            return view(request, *args, **kwargs)

        wrapped.__dict__["required_scope"] = str(scope)
        return wrapped

    return decorate
