"""The evaluation as an Excel workbook: a sheet about the evaluation, then one sheet per table.

Tables that name the same `sheet` (the key-figure catalogue's) share one sheet, one below the
other. Each table: the heading ("Tabel 2.1 Antal anbragte årsbørn"), the caption, the spans and
column headings, the rows (group headings and totals in bold), the note and the source line.
Numbers stay numbers, with a number format (2 decimals, thousand separators, %).

Every text is written as text: one that starts like a formula (`=`, `+`, `-`, `@`, a tab or a
carriage return; a district named "=HYPERLINK(…)") is a string cell with Excel's quote prefix,
so no spreadsheet runs it, and characters a workbook cannot hold (control characters) are left
out (`put`, and `neutralise_workbook` over the finished workbook).
"""

import re
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trappen.core.interchange import starts_like_formula
from trappen.evaluation.figures import Figures
from trappen.evaluation.formatting import EXCEL
from trappen.evaluation.kora import about, source_line
from trappen.evaluation.tables import Table, cell

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
ITALIC = Font(italic=True)
UNDER = Border(bottom=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="bottom")
CENTRE = Alignment(horizontal="center", wrap_text=True)


def put(sheet: Worksheet, row: int, column: int, value: object = None) -> Cell:
    """`sheet.cell(row, column, value)` for any value: a text never becomes a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    c = sheet.cell(row, column, value)
    _as_text(c)
    return c


def _as_text(c: Cell | MergedCell) -> None:
    if isinstance(c.value, str) and (c.data_type == "f" or starts_like_formula(c.value)):
        c.data_type = "s"
        c.quotePrefix = True


def neutralise_workbook(book: Workbook) -> Workbook:
    """Make every cell of `book` that holds a formula, or a text that starts like one, a text
    cell with the quote prefix (the workbooks trappen writes have no formulas of their own)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if not isinstance(c, MergedCell):
                    _as_text(c)
    return book


def workbook(figures: Figures, tables: list[Table]) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    _about_sheet(sheet, figures)
    source = source_line(figures)
    used: set[str] = {sheet.title}
    shared: dict[str, tuple[Worksheet, int]] = {}  # sheet → (worksheet, its next free row)
    for table in tables:
        if table.sheet in shared:
            sheet, row = shared[table.sheet]
            row = _table_sheet(sheet, table, source, row + 1)
        else:
            sheet = book.create_sheet(_unique(table.sheet_name, used))
            row = _table_sheet(sheet, table, source)
        if table.sheet:
            shared[table.sheet] = (sheet, row)
    return neutralise_workbook(book)


def to_bytes(figures: Figures, tables: list[Table]) -> bytes:
    out = BytesIO()
    workbook(figures, tables).save(out)
    return out.getvalue()


def save(figures: Figures, tables: list[Table], path: Path) -> int:
    """Write the workbook to `path`; the number of sheets."""
    book = workbook(figures, tables)
    book.save(path)
    return len(book.sheetnames)


def _unique(name: str, used: set[str]) -> str:
    # A sheet's name (which may carry a group's name) cannot hold these characters.
    name = re.sub(r"[\\/*?:\[\]]", "", ILLEGAL_CHARACTERS_RE.sub("", name))[:31] or "-"
    candidate, n = name, 2
    while candidate in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def _about_sheet(sheet: Worksheet, figures: Figures) -> None:
    sheet.title = _("About")[:31]
    put(sheet, 1, 1, _("Evaluation of the key figures")).font = TITLE
    row = 3
    for label, value in about(figures):
        put(sheet, row, 1, label).font = BOLD
        put(sheet, row, 2, value)
        row += 1
    row += 1
    put(sheet, row, 1, source_line(figures)).font = ITALIC
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60


def _table_sheet(sheet: Worksheet, table: Table, source: str, start: int = 1) -> int:
    """Write `table` from row `start` on; the next free row."""
    put(sheet, start, 1, table.heading).font = TITLE
    row = start + 1
    if table.caption:
        put(sheet, row, 1, table.caption).font = ITALIC
        row += 1
    row += 1
    if table.spans:
        col = 2
        for span in table.spans:
            c = put(sheet, row, col, span.label or None)
            c.font, c.alignment = BOLD, CENTRE
            if span.width > 1:
                sheet.merge_cells(
                    start_row=row, start_column=col, end_row=row, end_column=col + span.width - 1
                )
            col += span.width
        row += 1
    header = [table.row_label, *(c.label for c in table.columns)]
    for col, label in enumerate(header, start=1):
        c = put(sheet, row, col, label or None)
        c.font, c.border, c.alignment = BOLD, UNDER, WRAP
    if start == 1:  # the first table's headings stay in view
        sheet.freeze_panes = sheet.cell(row + 1, 2)
    row += 1
    for r in table.rows:
        label = put(sheet, row, 1, r.label)
        if r.kind:
            label.font = BOLD
        for col, (column, raw) in enumerate(zip(table.columns, r.values, strict=False), start=2):
            value, fmt = cell(raw, column.fmt)
            c = put(sheet, row, col, value)
            c.number_format = EXCEL.get(fmt, "General")
            if r.kind == "total":
                c.font = BOLD
        row += 1
    if not table.rows:
        put(sheet, row, 1, _("No data in the period.")).font = ITALIC
        row += 1
    row += 1
    if table.note:
        put(sheet, row, 1, _("Note: %(note)s") % {"note": table.note}).font = ITALIC
        row += 1
    put(sheet, row, 1, source).font = ITALIC
    _widths(sheet, table, widen=start > 1)
    return row + 1


def _widths(sheet: Worksheet, table: Table, *, widen: bool = False) -> None:
    """Column widths for `table`; `widen`: only ever wider (a sheet shared with tables above)."""

    def fit(letter: str, width: float) -> None:
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(width, dimension.width or 0) if widen else width

    longest = max([len(table.row_label), *(len(r.label) for r in table.rows)], default=10)
    fit("A", min(max(longest + 2, 14), 60))
    for i, column in enumerate(table.columns, start=2):
        need = 12
        if column.fmt == "text":
            need = max((len(str(r.values[i - 2])) for r in table.rows if r.values), default=12)
        header = max((len(w) for w in column.label.split()), default=0)
        fit(get_column_letter(i), min(max(need, header, 12) + 2, 50))
