from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed logins for one username, one address, or one username from one address, kept in
    the database so the throttle holds across processes (trappen/security/lockout.py).

    Usernames are stored only as keyed hashes: people sometimes type a CPR number or a password
    into the username field. An address row keeps the address, for the audit summary."""

    class Kind(models.TextChoices):
        PAIR = "pair", _("username from one address")
        USERNAME = "username", _("username from every address")
        ADDRESS = "address", _("address, every username")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64, unique=True)
    # The keyed hash of the username alone, so `trappen unlock USERNAME` finds every row of it.
    username_key = models.CharField(max_length=64, blank=True, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    # The account the username names (username rows only): whose account the summary is about.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The back-off: failures in a row (attempts being checked count too), the last one, and
    # until when further attempts are refused without checking the password.
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)
    # A pair: the account logged in from this address, so until then only the pair's own
    # failures slow it down (not a flood of the username or the address from elsewhere).
    known_until = models.DateTimeField(null=True, blank=True)
    # The audit summary: the window's start, its failures, and how many of them are reported.
    window_started_at = models.DateTimeField(null=True, blank=True, db_index=True)
    window_failures = models.PositiveIntegerField(default=0)
    reported_failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:12]}"


class LookupCounter(models.Model):
    """How often one user looked a child up by CPR number in one period (a fixed window), so
    the lookup can be throttled across processes (trappen/security/ratelimit.py)."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="lookup_counter_window")
        ]
        verbose_name = _("lookup counter")
        verbose_name_plural = _("lookup counters")

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class KeptInput(models.Model):
    """A form a user posted after their session had timed out (F10 point 2): kept here, owned
    by the user, instead of being lost; after the next login the user is offered it again,
    filled in, and it is deleted when sent again or discarded. Never in a URL or a log: the
    values may hold a CPR number or a journal text, like the tables they were meant for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kept_inputs"
    )
    path = models.CharField(max_length=255)  # where the form was posted (the path only)
    data = models.JSONField()  # {field name: [values]}, the CSRF token left out
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.path}"
