"""The authentication backend: Django's model backend behind the login throttle, so every way
in (the login page, the admin's login) is throttled alike (trappen/security/lockout.py)."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from trappen.notices.unread import with_unread_count

from . import lockout

if TYPE_CHECKING:
    from trappen.organisation.models import User


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> "User | None":
        model = get_user_model()
        if username is None:
            username = kwargs.get(model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        # Counted before the password is checked, so that parallel attempts count each other.
        attempt = lockout.reserve(username, lockout.client_address(request))
        if attempt is None:
            # Refused unchecked; Django then sends user_login_failed (nothing is audited:
            # refused attempts are counted in no row, see lockout._audit_failure).
            raise PermissionDenied
        try:
            user = model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            # Hash anyway, so an unknown username takes as long as a wrong password.
            model().set_password(password)
            user = None
        right = (
            user is not None and user.check_password(password) and self.user_can_authenticate(user)
        )
        if right:
            lockout.succeeded(attempt, user)
            return user
        lockout.failed(attempt, user)
        return None

    def get_user(self, user_id: Any) -> "User | None":
        """Django's, with the user's unread messages counted in the same query: the
        navigation shows the count on every page (notices.context_processors)."""
        model = get_user_model()
        user = with_unread_count(model._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
