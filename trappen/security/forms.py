from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import lockout


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class LockoutAuthenticationForm(AuthenticationForm):
    """The login form; says so when log-in is paused after failed attempts. The message is the
    same whether or not the username exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed log-in attempts. Log-in is paused for %(wait)s. Try again then, "
            "or contact your administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            if username:
                address = lockout.client_address(self.request)
                wait = lockout.waiting(username, address)
                if wait.total_seconds() > 0:
                    seconds = max(1, int(-(-wait.total_seconds() // 1)))
                    raise ValidationError(
                        self.error_messages["throttled"],
                        code="throttled",
                        params={"wait": wait_text(seconds)},
                    ) from None
            raise
