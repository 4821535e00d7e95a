"""`trappen api_token create USERNAME --scope …` / `revoke ID` / `list`: the API's tokens.

The token is printed once, when it is made; only its SHA-256 is kept (docs/api.md).
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trappen.api.models import ApiToken, Scope
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.organisation.models import User


class Command(BaseCommand):
    help = "Create, revoke or list the API tokens of system accounts (docs/api.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token for a system account")
        create.add_argument("username", help="the system account the token acts as")
        create.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=Scope.values,
            help="what the token may do; repeat for several",
        )
        create.add_argument("--name", default="", help="which system uses it")
        create.add_argument(
            "--expires-days", type=int, default=365, help="days until it stops (0: never)"
        )
        revoke = sub.add_parser("revoke", help="stop a token at once")
        revoke.add_argument("token_id", type=int, help="the token's number (see list)")
        listing = sub.add_parser("list", help="the tokens, never the tokens themselves")
        listing.add_argument("username", nargs="?", help="only this account's")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _create(
        self, *, username: str, scope: list[str], name: str, expires_days: int, **_: Any
    ) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if not user.is_active:
            raise CommandError(f"{username!r} is not active: its tokens would not work")
        if expires_days < 0:
            raise CommandError("--expires-days must be 0 (never) or more")
        expires = timezone.now() + timedelta(days=expires_days) if expires_days else None
        row, token = ApiToken.issue(user, name or username, scope, expires_at=expires)
        # A token opens the account to another system: logged like a change of its access.
        record(
            AuditAction.ACCOUNT,
            user,
            detail={"change": "api_token_created", "api_token": row.pk, "scopes": row.scopes},
        )
        self.stdout.write(f"Token {row.pk} for {username}: {', '.join(row.scopes)}")
        when = expires.date().isoformat() if expires else "never"
        self.stdout.write(f"Expires: {when}")
        self.stdout.write("The token is shown this once; keep it in the other system's secrets:")
        self.stdout.write(token)

    def _revoke(self, *, token_id: int, **_: Any) -> None:
        row = ApiToken.objects.filter(pk=token_id).first()
        if row is None:
            raise CommandError(f"no token {token_id}")
        row.revoke()
        record(
            AuditAction.ACCOUNT,
            row.user,
            detail={"change": "api_token_revoked", "api_token": row.pk},
        )
        self.stdout.write(f"Token {row.pk} ({row.name}) revoked.")

    def _list(self, *, username: str | None = None, **_: Any) -> None:
        rows = ApiToken.objects.select_related("user").order_by("pk")
        if username:
            rows = rows.filter(user__username=username)
        for row in rows:
            state = "usable" if row.is_usable else ("revoked" if row.revoked_at else "expired")
            used = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "-"
            self.stdout.write(
                f"{row.pk}\t{row.user.username}\t{row.name}\t{row.hint}…\t"
                f"{','.join(row.scopes)}\t{state}\tlast used {used}"
            )
