"""`trappen access_report CHILD_ID [--json FILE]`: one child's access report (docs/privacy.md)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.cases.models import Child
from trappen.privacy.report import access_report


class Command(BaseCommand):
    help = (
        "Everything the database holds about one child, and who has seen or changed it, as JSON "
        "(the data subject's right of access). The child is named by its id in trappen, never "
        "by CPR number: a command line is kept in shell histories."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_id", type=int, help="the child's id (as in /cases/ URLs)")
        parser.add_argument(
            "--json",
            type=Path,
            dest="json_file",
            help="write the report to this file ('-': stdout)",
        )
        parser.add_argument("--force", action="store_true", help="overwrite the file")

    def handle(
        self, *args: Any, child_id: int, json_file: Path | None, force: bool, **options: Any
    ) -> None:
        child = Child.objects.filter(pk=child_id).first()
        if child is None:
            raise CommandError(f"No child with id {child_id}.")
        to_stdout = json_file is None or str(json_file) == "-"
        if not to_stdout and json_file is not None and json_file.exists() and not force:
            raise CommandError(f"{json_file} exists; add --force to overwrite it.")
        report = access_report(child)
        text = json.dumps(report.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        record(AuditAction.EXPORT, child, detail={"report": "access", "format": "json"})
        if to_stdout:
            self.stdout.write(text)
            return
        assert json_file is not None
        json_file.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {json_file}:")
        for section in report.sections:
            self.stdout.write(f"  {section.title}: {len(section.rows)}")
        self.stdout.write(f"  audit entries: {len(report.audit.rows)}")
