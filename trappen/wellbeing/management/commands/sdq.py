"""`trappen sdq score FILE.csv [--json]`: score a file of SDQ responses (docs/wellbeing.md)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.wellbeing.sdq_file import OUTPUT_FIELDS, SdqFileError, score_lines


def _text(value: object) -> str:
    return "null" if value is None else str(value)


def text_table(results: list[dict[str, Any]]) -> str:
    rows = [list(OUTPUT_FIELDS), *[[_text(r[f]) for f in OUTPUT_FIELDS] for r in results]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(OUTPUT_FIELDS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


class Command(BaseCommand):
    help = (
        "Work with Strengths and Difficulties Questionnaires. 'score' scores a CSV file of "
        "responses by item number and prints the scores and bands of every row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        score = sub.add_parser(
            "score",
            help="score FILE.csv: columns informant (parent/teacher/self), item_1 ... item_25 "
            "(0, 1, 2 or empty), optionally the impact columns; exit status 1, and no scores, "
            "when a row is wrong",
        )
        score.add_argument("file", metavar="FILE.csv")
        score.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8-sig", newline="") as lines:
                results = score_lines(lines)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=1) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text", returncode=1) from None
        except SdqFileError as error:
            for problem in error.problems:
                self.stderr.write(f"{path}: {problem}")
            count = len(error.problems)
            raise CommandError(
                f"{path}: nothing scored, {count} problem{'s' if count != 1 else ''}",
                returncode=1,
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(text_table(results))
