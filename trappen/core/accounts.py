"""The booked accounts for the business case (F13 point 4): a small CSV file, read by the
interchange conventions (UTF-8, `,` or a Danish spreadsheet's `;`, a point as the decimal mark,
Danish thousands-grouped numbers and formula-like texts refused), all or nothing: every problem
named by row and column, and nothing kept when there is one.

    year,function,amount
    2015,5.28.20,17500000

`function`: the account's function number of the municipal chart of accounts (e.g. 5.28.20
foster care, 5.28.21 residential institutions); one row per year and function.
"""

import csv
import io
import re
from dataclasses import dataclass

from trappen.core.interchange import (
    InterchangeError,
    Problem,
    _Bad,
    _delimiter,
    _parse_float,
    starts_like_formula,
)

FILE = "accounts.csv"
COLUMNS = ("year", "function", "amount")
_FUNCTION = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}")
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Booked:
    year: int
    function: str
    amount: float


def read_accounts(text: str) -> list[Booked]:
    problems: list[Problem] = []
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise InterchangeError([Problem(FILE, None, None, "the file is empty")])
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=_delimiter(lines[0]))
    header = [h.strip() for h in next(reader)]
    if header != list(COLUMNS):
        raise InterchangeError(
            [
                Problem(
                    FILE, 1, None, f"the header must be {','.join(COLUMNS)}, not {','.join(header)}"
                )
            ]
        )
    out: list[Booked] = []
    seen: dict[tuple[int, str], int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if line > MAX_ROWS + 1:
            problems.append(Problem(FILE, line, None, f"more than {MAX_ROWS} rows"))
            break
        if len(row) != len(COLUMNS):
            problems.append(Problem(FILE, line, None, f"{len(row)} cells, not {len(COLUMNS)}"))
            continue
        year_text, function, amount_text = (c.strip() for c in row)
        bad = len(problems)
        if not re.fullmatch(r"[0-9]{4}", year_text) or not 1990 <= int(year_text) <= 2100:
            problems.append(Problem(FILE, line, "year", f"not a year: {year_text[:20]!r}"))
        if starts_like_formula(function) or not _FUNCTION.fullmatch(function):
            problems.append(
                Problem(
                    FILE, line, "function", f"not a function number like 5.28.20: {function[:20]!r}"
                )
            )
        try:
            amount = _parse_float(amount_text)
        except _Bad as exc:
            problems.append(Problem(FILE, line, "amount", str(exc)))
        if len(problems) > bad:
            continue
        key = (int(year_text), function)
        if key in seen:
            problems.append(
                Problem(
                    FILE, line, "function", f"{function} {year_text} is on line {seen[key]} too"
                )
            )
            continue
        seen[key] = line
        out.append(Booked(int(year_text), function, amount))
    if problems:
        raise InterchangeError(problems)
    if not out:
        raise InterchangeError([Problem(FILE, None, None, "the file has no rows")])
    return out
