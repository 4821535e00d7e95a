"""`trappen audit verify [--full]`: check the audit log and anchor it (docs/audit.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.audit.verify import checkpoint, verify

PROGRESS_EVERY = 100_000


class Command(BaseCommand):
    help = "Work with the audit log. 'verify' checks that no entry was altered or deleted."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser(
            "verify",
            help="check the entries since the last checkpoint (all with --full), then write a "
            "new checkpoint; exit status 1 at the first problem",
        )
        check.add_argument("--full", action="store_true", help="re-read the whole log")
        check.add_argument(
            "--no-checkpoint", action="store_true", help="only check; write no checkpoint"
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        shown = [0]

        def progress(count: int) -> None:
            if count - shown[0] >= PROGRESS_EVERY:
                shown[0] = count
                self.stderr.write(f"  {count} entries checked …")

        full = bool(options.get("full"))
        result = verify(progress, full=full)
        if result.problem:
            raise CommandError(
                f"Audit log NOT intact: {result.problem.message} "
                f"({result.count} entries checked before it are intact).",
                returncode=1,
            )
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        since = (
            "the whole log"
            if full or result.checkpoint is None
            else f"since checkpoint {result.checkpoint}"
        )
        written = ""
        if not options.get("no_checkpoint"):
            cp = checkpoint(result, full=full)
            written = f"; checkpoint {cp.number} written"
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: audit log intact, {result.count} entries checked ({since}){written}."
            )
        )
