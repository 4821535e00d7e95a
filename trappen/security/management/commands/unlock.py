from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trappen.security import lockout


class Command(BaseCommand):
    help = "Lift the login back-off of a username (from every address), and of an address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--address", default="", help="also lift this address's back-off")

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = lockout.is_waiting(options["username"])
        lockout.clear(options["username"], options["address"])
        self.stdout.write("Unlocked." if waiting else "The username was not locked.")
