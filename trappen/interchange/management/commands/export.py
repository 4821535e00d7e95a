"""`trappen export DIR`: write the database as a folder of CSV files (docs/interchange.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.core.dataset import SCHEMA
from trappen.core.interchange import file_name, write_dataset
from trappen.interchange.services import export_dataset


class Command(BaseCommand):
    help = "Export districts, children, cases, episodes, follow-ups and complaints as CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the folder to write (created if need be)")
        parser.add_argument(
            "--force", action="store_true", help="overwrite CSV files already in the folder"
        )
        parser.add_argument(
            "--pseudonymise",
            action="store_true",
            help="replace every id by its pseudonym and birth dates by their month "
            "(docs/privacy.md)",
        )
        parser.add_argument(
            "--excel",
            action="store_true",
            help="for Excel on Windows: UTF-8 with a byte-order mark, ';' between the cells",
        )

    def handle(
        self,
        *args: Any,
        folder: Path,
        force: bool,
        pseudonymise: bool,
        excel: bool,
        **options: Any,
    ) -> None:
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        present = sorted(p.name for p in folder.glob("*.csv")) if folder.is_dir() else []
        if present and not force:
            raise CommandError(
                f"{folder} already holds CSV files ({', '.join(present)}); "
                "choose an empty folder or add --force to overwrite them."
            )
        ds = export_dataset(pseudonymise=pseudonymise)
        write_dataset(ds, folder, excel=excel)
        notes = [
            *(["pseudonymised"] if pseudonymise else []),
            *(["for Excel: UTF-8 with BOM, ';' between the cells"] if excel else []),
        ]
        shown = f" ({', '.join(notes)})" if notes else ""
        self.stdout.write(f"Wrote {folder}{shown}:")
        for table in SCHEMA:
            self.stdout.write(f"  {file_name(table)}: {getattr(ds, table).height} rows")
