"""`trappen retention [--dry-run] [--years N]`: anonymise children whose cases closed long ago."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.privacy.retention import retention_years, run_retention


class Command(BaseCommand):
    help = (
        "Anonymise the data of children whose last case closed more than the retention period "
        "ago (settings.RETENTION_YEARS): names, CPR numbers and free text go, dates, steps and "
        "costs stay for the steering figures. One transaction; the run is audited. See "
        "docs/privacy.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=f"the retention period in years (default: the setting, now {retention_years()})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be anonymised, change nothing"
        )

    def handle(self, *args: Any, years: int | None, dry_run: bool, **options: Any) -> None:
        try:
            summary = run_retention(years=years, dry_run=dry_run, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
