"""`trappen import DIR`: load a folder of CSV files into the database, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from trappen.core.interchange import InterchangeError, read_dataset
from trappen.interchange.services import ImportSummary, import_dataset, max_file_bytes


class _DryRun(Exception):
    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary


class Command(BaseCommand):
    help = (
        "Import a folder of CSV files (docs/interchange.md). Every problem is reported as "
        "'file:line: column: message' and then nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the folder holding the CSV files")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check everything, the database's rules too, but store nothing",
        )
        parser.add_argument(
            "--confirm-costs",
            action="store_true",
            help="import daily costs outside their plausible range (listed by a dry run) as "
            "they are",
        )

    def handle(
        self, *args: Any, folder: Path, dry_run: bool, confirm_costs: bool, **options: Any
    ) -> None:
        verbose = options.get("verbosity", 1) > 1

        def log(text: str) -> None:
            if verbose:
                self.stdout.write(text)

        try:
            self.stdout.write(f"Reading {folder} …")
            ds = read_dataset(folder, max_bytes=max_file_bytes())
            self.stdout.write("Checking and importing …")
            try:
                with transaction.atomic():
                    summary = import_dataset(ds, log=log, confirm_costs=confirm_costs)
                    if dry_run:
                        raise _DryRun(summary)
            except _DryRun as done:
                summary = done.summary
        except InterchangeError as error:
            for line in error.report():
                self.stdout.write(line)
            costs = [p for p in error.problems if p.confirmable]
            if costs:
                self.stdout.write(
                    f"{len(costs)} daily cost(s) outside the plausible range "
                    "(trappen/core/data/daily_costs.json): check them in the file; if "
                    "they are right, run again with --confirm-costs."
                )
            raise CommandError(
                f"{error.count} problem(s) in {folder}: nothing was imported.", returncode=1
            ) from None
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: no problems found, nothing stored."))
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
