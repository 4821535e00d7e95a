from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trappen.security import lockout


class Command(BaseCommand):
    help = "Lift the login lockout of a username before its period ends."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        locked = lockout.is_locked(options["username"])
        lockout.clear(options["username"])
        self.stdout.write("Unlocked." if locked else "The username was not locked.")
