"""`trappen audit verify`: check the audit log's hash chain (docs/audit.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.audit.verify import verify

PROGRESS_EVERY = 100_000


class Command(BaseCommand):
    help = "Work with the audit log. 'verify' checks that no entry was altered or deleted."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="walk the hash chain; exit status 1 at the first problem")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        shown = [0]

        def progress(count: int) -> None:
            if count - shown[0] >= PROGRESS_EVERY:
                shown[0] = count
                self.stderr.write(f"  {count} entries checked …")

        result = verify(progress)
        if result.problem:
            raise CommandError(
                f"Audit log NOT intact: {result.problem.message} "
                f"(first problem at entry {result.problem.sequence}; "
                f"{result.count} entries before it are intact).",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"OK: audit log intact, {result.count} entries."))
