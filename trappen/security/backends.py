"""The authentication backend: Django's model backend behind the login lockout, so every way
in (the login page, the admin's login) is throttled alike."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import lockout


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        if lockout.is_locked(username):
            # Stops authentication without checking the password; Django then sends
            # user_login_failed, which the audit log records.
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            lockout.record_failure(username)
        else:
            lockout.clear(username)
        return user
