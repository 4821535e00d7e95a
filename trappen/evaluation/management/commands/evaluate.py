"""`trappen evaluate SOURCE --from … --to …`: the KORA key figures of a period, as text, JSON or
an Excel workbook, from a folder of interchange CSV files (the database untouched) or `db`."""

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.core import kpi
from trappen.core.dataset import Dataset
from trappen.core.kpi import Period
from trappen.evaluation import kora, xlsx
from trappen.evaluation.figures import Figures, Query, compute
from trappen.evaluation.formatting import show
from trappen.evaluation.tables import Table, cell
from trappen.steering_data.database import dataset_from_database

GROUP_BY = ("group", "district", "team", "all")
MAX_PROBLEMS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compute the key figures of the KORA evaluation (årsbørn by placement type, spending and "
        "unit cost, breakdowns, complaints, follow-ups, the staircase, movements, caseload) for "
        "a period, optionally against a comparison period with a treated and a control group. "
        "SOURCE is a folder of interchange CSV files or the word db."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A folder of interchange CSV files, or db.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--group-by", choices=GROUP_BY, default="group", help="Rows of the tables."
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--xlsx", type=Path, help="Write an Excel workbook to this file.")
        parser.add_argument(
            "--compare-from", dest="compare_start", help="First day of the comparison period."
        )
        parser.add_argument(
            "--compare-to", dest="compare_end", help="Last day of the comparison period."
        )
        parser.add_argument("--treated", help="The group the change was made in, e.g. Pilot.")
        parser.add_argument("--control", help="The group to compare it with, e.g. Øvrige.")
        parser.add_argument(
            "--prices", type=Path, help="A price index, one 'year,index' a line (fixed prices)."
        )
        parser.add_argument("--base-year", type=int, help="The year whose prices amounts are in.")

    def handle(self, *args: Any, **options: Any) -> None:
        query = self.query(options)
        ds = load(options["source"])
        try:
            figures = compute(ds, query)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        tables = kora.build(figures)
        # With --json, stdout carries the JSON and nothing else.
        notes = sys.stderr if options["json"] else self.stdout
        if options["json"]:
            self.stdout.write(figures.as_json())
        if options["xlsx"]:
            path: Path = options["xlsx"]
            try:
                sheets = xlsx.save(figures, tables, path)
            except OSError as exc:
                raise CommandError(f"Cannot write {path}: {exc.strerror or exc}") from exc
            notes.write(f"Wrote {path} ({sheets} sheets).\n")
        if not options["json"] and not options["xlsx"]:
            self.stdout.write(as_text(figures, tables))

    def query(self, options: dict[str, Any]) -> Query:
        period = period_of(options["start"], options["end"], "--from", "--to")
        before = None
        if options["compare_start"] or options["compare_end"]:
            if not (options["compare_start"] and options["compare_end"]):
                raise CommandError("Give both --compare-from and --compare-to, or neither.")
            before = period_of(
                options["compare_start"], options["compare_end"], "--compare-from", "--compare-to"
            )
        treated, control = options["treated"], options["control"]
        if bool(treated) != bool(control):
            raise CommandError("Give both --treated and --control, or neither.")
        if treated and before is None:
            raise CommandError(
                "--treated and --control compare two periods: give --compare-from and "
                "--compare-to too."
            )
        if treated and treated == control:
            raise CommandError("--treated and --control must be two different groups.")
        prices = None
        if options["prices"]:
            prices = read_prices(options["prices"])
        elif options["base_year"] is not None:
            raise CommandError("--base-year needs --prices (a price index).")
        return Query(
            period=period,
            before=before,
            group_by=options["group_by"],
            treated=treated,
            control=control,
            prices=tuple(sorted(prices.items())) if prices else None,
            base_year=options["base_year"],
        )


def parse_day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag}: {text!r} is not a date (YYYY-MM-DD).") from None


def period_of(start: str, end: str, start_flag: str, end_flag: str) -> Period:
    first, last = parse_day(start, start_flag), parse_day(end, end_flag)
    if last < first:
        raise CommandError(f"{end_flag} ({last}) is before {start_flag} ({first}).")
    return Period(first, last)


def read_prices(path: Path) -> dict[int, float]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"--prices: cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise CommandError(f"--prices: {path} is not UTF-8 text.") from None
    try:
        return kpi.parse_price_index(text)
    except ValueError as exc:
        raise CommandError(f"--prices {path}: {exc}") from exc


def load(source: str) -> Dataset:
    """The dataset of a folder of CSV files, or of the whole database (`db`)."""
    if source == "db":
        return dataset_from_database()
    from trappen.core.interchange import InterchangeError, read_dataset

    folder = Path(source)
    if not folder.is_dir():
        raise CommandError(
            f"{source}: no such folder. Give a folder of interchange CSV files, or db."
        )
    try:
        from trappen.interchange.services import max_file_bytes

        return read_dataset(folder, max_bytes=max_file_bytes())
    except InterchangeError as exc:
        total = len(exc.problems) + exc.omitted
        lines = [f"The CSV files in {source} have {total} problem(s); nothing was evaluated:"]
        lines += [f"  {p}" for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        if total > MAX_PROBLEMS_SHOWN:
            lines.append(f"  … and {total - MAX_PROBLEMS_SHOWN} more.")
        raise CommandError("\n".join(lines)) from exc


def as_text(figures: Figures, tables: list[Table]) -> str:
    """The tables as plain aligned text for the console."""
    out = []
    for label, value in kora.about(figures):
        out.append(f"{label}: {value}")
    out.append(kora.source_line(figures))
    for table in tables:
        out += ["", table.heading, "=" * len(table.heading)]
        header = [table.row_label, *(c.label for c in table.columns)]
        lines = [header]
        for row in table.rows:
            cells = [show(*cell(v, c.fmt)) for v, c in zip(row.values, table.columns, strict=False)]
            lines.append([row.label, *cells])
        widths = [max(len(line[i]) for line in lines if i < len(line)) for i in range(len(header))]
        for line in lines:
            first = line[0].ljust(widths[0])
            rest = [cell.rjust(widths[i + 1]) for i, cell in enumerate(line[1:])]
            out.append("  ".join([first, *rest]).rstrip())
    return "\n".join(out) + "\n"
