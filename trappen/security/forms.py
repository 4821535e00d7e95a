from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import lockout


class LockoutAuthenticationForm(AuthenticationForm):
    """The login form; says so when the username is locked. The message is the same whether
    or not the username exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed log-in attempts. Log-in with this username is blocked for "
            "%(minutes)s minutes. Try again later or contact your administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            if username and lockout.is_locked(username):
                minutes = int(lockout.lockout_period().total_seconds() // 60)
                raise ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": minutes}
                ) from None
            raise
