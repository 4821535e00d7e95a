"""The CSV interchange: a folder of UTF-8 CSV files ⇄ a `Dataset` (docs/interchange.md).

`read_dataset` checks everything a folder can tell on its own — files, encoding, columns, cell
types and allowed values, dates in order, unique ids, references between the files — and
collects every problem (up to `MAX_PROBLEMS`, with a count of the rest) before it raises
`InterchangeError`. A folder that reads without problems gives exactly the `Dataset` schema.
`write_dataset` writes a dataset in the same format, so `read_dataset(write_dataset(ds))`
gives `ds` back for every dataset that follows the format's rules.

Spreadsheet safety (docs/interchange.md, "Spreadsheets"): a text cell that a spreadsheet would
run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with
a leading apostrophe (`neutralise`) and read back without it (`restore`); such a cell without
the apostrophe is refused on reading. A number that reads as a Danish thousands-grouped integer
(`2.332`) is refused rather than taken as a decimal. Files are read line by line, each at most
`MAX_FILE_BYTES`.

What only a database can tell (ids already imported, overlapping cases, an episode outside its
child's cases) is checked on import, with the pure helpers at the end of this module.
"""

import csv
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

import polars as pl

from trappen.core import cpr, sdq, sdq_record
from trappen.core.cpr import Sex
from trappen.core.dataset import SCHEMA, SDQ_IMPACT_NAMES, Column, Dataset, EndReason, empty
from trappen.core.staircase import PlacementType

MAX_PROBLEMS = 1000
# The largest file a folder may hold (docs/interchange.md). A file is read line by line, but the
# rows it holds are kept until the whole folder is checked: about 8 times its size in memory.
MAX_FILE_BYTES = 64 * 2**20

# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP's
# "CSV injection"); `neutralise` writes such text with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"

# Files that may be missing from a folder: they are read as empty.
OPTIONAL_FILES = frozenset({"followups", "complaints", "sdq"})

# The step each placement type belongs on (the staircase, docs/staircase.md).
PLACEMENT_STEP: dict[str, int] = {
    PlacementType.HOME_BASED: 2,
    PlacementType.FOSTER_NETWORK: 3,
    PlacementType.FOSTER_ORDINARY: 4,
    PlacementType.FOSTER_SPECIAL: 4,
    PlacementType.RESIDENTIAL_INSTITUTION: 5,
    PlacementType.SOCIO_PEDAGOGICAL: 5,
    PlacementType.SECURE_INSTITUTION: 5,
}

# The longest text a cell may hold, by column (the database's field lengths).
MAX_LENGTH: dict[str, int] = {
    "district": 100,
    "group": 60,
    "team": 100,
    "intervention": 200,
    "caseworker": 150,
}
ID_LENGTH = 64  # every *_id column

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# A whole number with a point between the thousands, as a Danish spreadsheet writes 2,332:
# "2.332", "12.500", "1.234.567". Never read as a decimal.
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
# A Danish number with thousands points and/or a decimal comma: "2.332,50", "1450,5".
_DECIMAL_COMMA = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]+|-?[0-9]+,[0-9]+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data; `row` is the line in the file (the header is line 1)."""

    file: str
    row: int | None
    column: str | None
    message: str
    # The data may be right: the import goes ahead once the user confirms (a daily cost outside
    # its plausible range), where any other problem stops it.
    confirmable: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class InterchangeError(Exception):
    """The data cannot be read or imported; `problems` says where and why (at most 1,000)."""

    def __init__(self, problems: Sequence[Problem], omitted: int = 0) -> None:
        kept = list(problems[:MAX_PROBLEMS])
        self.problems: list[Problem] = kept
        self.omitted: int = omitted + len(problems) - len(kept)
        super().__init__(f"{self.count} problem(s), first: {kept[0] if kept else '-'}")

    @property
    def count(self) -> int:
        return len(self.problems) + self.omitted

    def report(self) -> list[str]:
        """The problems as `file:row: column: message` lines, and a line for any left off."""
        lines = [str(p) for p in self.problems]
        if self.omitted:
            lines.append(f"… and {self.omitted} more problem(s) not listed")
        return lines


class Problems:
    """Collects problems: keeps the first `MAX_PROBLEMS`, counts the rest."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.omitted = 0

    def add(
        self,
        file: str,
        row: int | None,
        column: str | None,
        message: str,
        *,
        confirmable: bool = False,
    ) -> None:
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(file, row, column, message, confirmable))
        else:
            self.omitted += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.add(p.file, p.row, p.column, p.message, confirmable=p.confirmable)

    def merge(self, other: "Problems") -> None:
        self.extend(other.kept)
        self.omitted += other.omitted

    def __bool__(self) -> bool:
        return bool(self.kept) or self.omitted > 0

    def raise_if_any(self) -> None:
        if self:
            raise InterchangeError(self.kept, self.omitted)


def file_name(table: str) -> str:
    return f"{table}.csv"


def id_column(table: str) -> str:
    return SCHEMA[table][0].name


def line_of(index: int) -> int:
    """The line of a frame's row `index` in the file it was read from (header: line 1).

    Blank lines and cells over several lines shift this; `read_dataset` has already reported
    everything it can with exact lines, so the import's own checks use this estimate.
    """
    return index + 2


# --- Reading cells --------------------------------------------------------------------------


class _Bad(Exception):
    """A cell that does not parse; the message says why."""


# Stands for a cell that did not parse (already reported), as opposed to an empty one (None).
_INVALID = object()


_CPR_LIKE = re.compile(r"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])")


def looks_like_cpr(text: str) -> bool:
    """Ten digits, or six, a dash and four, whose first six are a date: a CPR number."""
    match = _CPR_LIKE.fullmatch(text)
    if not match:
        return False
    try:
        cpr.birth_date_of(text.replace("-", ""))
    except cpr.CprError:
        return False
    return True


def quote(text: str, limit: int = 80) -> str:
    """A cell's text for a message: shortened, and never showing a CPR-like number."""
    text = _CPR_LIKE.sub("<CPR-like number>", text)
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def _parse_date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise _Bad(f"not a date in the form YYYY-MM-DD: {quote(text)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"no such date: {quote(text)}") from None


def _parse_float(text: str) -> float:
    if _GROUPED.fullmatch(text):
        whole = text.replace(".", "")
        raise _Bad(
            f"{quote(text)} reads as {whole} with a point between the thousands (as a Danish "
            f"spreadsheet writes it), or as a decimal: write {whole}, without the thousands "
            f"separator, or give the decimals, e.g. {text}0"
        )
    if _DECIMAL_COMMA.fullmatch(text):
        raise _Bad(
            f"{quote(text)}: use a point as the decimal mark and no thousands separator, "
            f"e.g. {text.replace('.', '').replace(',', '.')}"
        )
    if not _NUMBER.fullmatch(text):
        raise _Bad(f"not a number (use a point as the decimal mark, e.g. 1250.50): {quote(text)}")
    value = float(text)
    if not math.isfinite(value):
        raise _Bad(f"number out of range: {quote(text)}")
    return value


def _parse_step(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text):
        raise _Bad(f"not a whole number: {quote(text)}")
    step = int(text)
    if not 0 <= step <= 5:
        raise _Bad(f"step must be 0-5, not {step}")
    return step


def _parse_bool01(text: str) -> bool:
    if text not in ("0", "1"):
        raise _Bad(f"must be 0 or 1, not {quote(text)}")
    return text == "1"


def _choice(allowed: Iterable[str]) -> Callable[[str], str]:
    values = tuple(allowed)

    def parse(text: str) -> str:
        if text not in values:
            raise _Bad(f"{quote(text)} is not one of: {', '.join(values)}")
        return text

    return parse


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it: with a leading apostrophe when it
    starts like a formula, or with an apostrophe that `restore` would take off."""
    if text.startswith(FORMULA_STARTS) or (
        text.startswith(APOSTROPHE) and text[1:2].startswith((*FORMULA_STARTS, APOSTROPHE))
    ):
        return APOSTROPHE + text
    return text


def restore(cell: str) -> str:
    """The text `neutralise` was given: the apostrophe before a formula start taken off."""
    if cell.startswith(APOSTROPHE) and cell[1:2].startswith((*FORMULA_STARTS, APOSTROPHE)):
        return cell[1:]
    return cell


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _text(limit: int, *, no_cpr: bool = False) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if starts_like_formula(cell):
            raise _Bad(
                f"starts with {cell[0]!r}, which a spreadsheet runs as a formula: rename it, or, "
                "if that is the name, put an apostrophe (') before it"
            )
        text = restore(cell)
        if "\x00" in text:
            raise _Bad("contains a NUL character")
        if len(text) > limit:
            raise _Bad(f"longer than {limit} characters")
        if no_cpr and looks_like_cpr(text):
            raise _Bad(
                "looks like a CPR number: the interchange carries none, use the child's id "
                "in your system instead"
            )
        return text

    return parse


_CHOICES: dict[str, Callable[[str], str]] = {
    "sex": _choice(s.value for s in Sex),
    "placement_type": _choice(p.value for p in PlacementType),
    "end_reason": _choice(r.value for r in EndReason),
}


def _answer(allowed: Sequence[int]) -> Callable[[str], int]:
    """An SDQ answer: one of `allowed` (0-2 for an item, 0-3 for the impact supplement)."""
    last = allowed[-1]

    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or int(text) not in allowed:
            raise _Bad(f"{quote(text)} is not an answer: must be {allowed[0]}-{last} or empty")
        return int(text)

    return parse


_SDQ_PARSERS: dict[str, Callable[[str], object]] = {
    "informant": _choice(i.value for i in sdq.Informant),
    **{f"item_{n}": _answer(sdq.ANSWERS) for n in range(1, sdq.ITEM_COUNT + 1)},
    **{f"impact_{name}": _answer(sdq.IMPACT_ANSWERS) for name in SDQ_IMPACT_NAMES},
}


def _parser(column: Column) -> Callable[[str], object]:
    if column.name in _SDQ_PARSERS:
        return _SDQ_PARSERS[column.name]
    if column.name in _CHOICES:
        return _CHOICES[column.name]
    if column.dtype == pl.Date:
        return _parse_date
    if column.dtype == pl.Int8:
        return _parse_step
    if column.dtype == pl.Float64:
        return _parse_float
    if column.dtype == pl.Boolean:
        return _parse_bool01
    if column.name.endswith("_id"):
        return _text(ID_LENGTH, no_cpr=column.name == "child_id")
    return _text(MAX_LENGTH.get(column.name, 200))


def _shared(column: Column, parse: Callable[[str], object]) -> Callable[[str], object]:
    """`parse`, giving the same object for the same text: a column of dates, teams or costs
    repeats a few thousand values, and one object each instead of one a row keeps a large file
    in a fraction of the memory. Ids are unique: parsed as they come."""
    if column.name.endswith("_id"):
        return parse
    return functools.lru_cache(maxsize=1 << 14)(parse)


# --- Reading files --------------------------------------------------------------------------


@dataclass
class _Table:
    """One file as read: a value (or None) per column and row, and the rows' lines."""

    name: str
    ok: bool  # the file and its header could be read: its rows may be referred to
    lines: list[int]
    values: dict[str, list[object]]

    def column(self, name: str) -> list[object]:
        return self.values[name]


class _NotUtf8(Exception):
    def __init__(self, line: int, byte: int) -> None:
        self.line, self.byte = line, byte


class _TooLarge(Exception):
    pass


# A carriage return not followed by a line feed: a line break of a file saved on an old Mac.
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[str]:
    """The file's lines, decoded one at a time (the byte-order mark taken off the first), so
    that a file is never held in memory whole. Raises _NotUtf8 naming the line of the first
    byte that is not UTF-8, _TooLarge past `max_bytes`."""
    read = 0
    for number, raw in enumerate(handle, start=1):
        read += len(raw)
        if read > max_bytes:
            raise _TooLarge
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _NotUtf8(number, raw[error.start]) from None
        if number == 1:
            line = line.removeprefix("\ufeff")
        if "\r" in line.removesuffix("\r\n"):
            yield from (part for part in _LONE_CR.split(line) if part)
        else:
            yield line


def _delimiter(header: str) -> str:
    """',' as written; ';' when the header uses it and no comma (a Danish spreadsheet's CSV)."""
    return ";" if ";" in header and "," not in header else ","


def _records(
    lines: Iterator[str], file: str, problems: Problems
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for each record; a CSV syntax error ends the file with a problem."""
    first = next(lines, None)
    if first is None:
        return
    reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first), strict=True)
    previous = 0
    try:
        for record in reader:
            yield previous + 1, record
            previous = reader.line_num
    except csv.Error as error:
        problems.add(file, reader.line_num or 1, None, f"not valid CSV: {error}")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def _read_table(folder: Path, table: str, problems: Problems, max_bytes: int) -> _Table:
    file = file_name(table)
    path = folder / file
    if not path.is_file():
        if table not in OPTIONAL_FILES:
            problems.add(file, None, None, "file missing")
        return _empty_table(table, ok=table in OPTIONAL_FILES)
    # The file's own problems are kept apart: a file that turns out not to be UTF-8 (or to
    # grow past the limit) gives that one problem, not those of the lines before.
    own = Problems()
    try:
        read = _read_file(path, table, own, max_bytes)
    except _Unreadable as failure:
        problems.add(file, failure.line, None, failure.message)
        return _empty_table(table)
    problems.merge(own)
    return read


def _empty_table(table: str, ok: bool = False) -> _Table:
    return _Table(table, ok, [], {c.name: [] for c in SCHEMA[table]})


class _Unreadable(Exception):
    """The file cannot be read at all: one problem says why (on `line`, if known)."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line, self.message = line, message


def _read_file(path: Path, table: str, own: Problems, max_bytes: int) -> _Table:
    too_large = (
        f"file too large: a file may be at most {_megabytes(max_bytes)} (docs/interchange.md); "
        "split the export by period or district"
    )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Unreadable(None, f"{too_large}, this one is {_megabytes(size)}")
        with path.open("rb") as handle:
            records = _records(_lines(handle, max_bytes), file_name(table), own)
            return _read_rows(records, table, own)
    except OSError as error:
        raise _Unreadable(None, f"cannot be read: {error.strerror}") from error
    except _NotUtf8 as bad:
        message = f"not UTF-8 (byte 0x{bad.byte:02x}): save the file as UTF-8"
        raise _Unreadable(bad.line, message) from bad
    except _TooLarge as error:
        raise _Unreadable(None, too_large) from error


def _read_rows(records: Iterator[tuple[int, list[str]]], table: str, problems: Problems) -> _Table:
    file = file_name(table)
    columns = SCHEMA[table]
    result = _empty_table(table)
    before = len(problems.kept) + problems.omitted
    first = next(records, None)
    if first is None:
        if len(problems.kept) + problems.omitted == before:
            problems.add(file, 1, None, "empty file: the first line must name the columns")
        return result
    header = [cell.strip() for cell in first[1]]
    positions = _header_positions(header, columns, file, problems)
    if positions is None:
        return result
    result.ok = True
    parsers = [(c, positions.get(c.name), _shared(c, _parser(c))) for c in columns]
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        result.lines.append(line)
        if len(record) != len(header):
            problems.add(file, line, None, f"{len(record)} cells, but the header has {len(header)}")
            record.extend([""] * (len(header) - len(record)))
            _keep_id_only(record, parsers, result)
        else:
            _parse_row(record, line, parsers, result, problems)
    return result


_Parsers = list[tuple[Column, int | None, Callable[[str], object]]]


def _header_positions(
    header: list[str], columns: Sequence[Column], file: str, problems: Problems
) -> dict[str, int] | None:
    """Each known column's position in the header; None if a column every file has is missing."""
    known = {c.name: c for c in columns}
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in positions:
            problems.add(file, 1, name, "column appears twice")
        elif name in known:
            positions[name] = i
        elif name:
            expected = ", ".join(known)
            # A hostile header is quoted: a report line never carries control characters.
            shown = name if name.isprintable() and len(name) <= 80 else quote(name)
            problems.add(file, 1, shown, f"unknown column (the columns are: {expected})")
        else:
            problems.add(file, 1, None, f"column {i + 1} has no name")
    missing = [c.name for c in columns if c.in_every_file and c.name not in positions]
    for name in missing:
        problems.add(file, 1, name, "column missing")
    return None if missing else positions


def _cell(record: list[str], position: int | None) -> str:
    return record[position].strip() if position is not None else ""


def _keep_id_only(record: list[str], parsers: _Parsers, result: _Table) -> None:
    """A row with the wrong number of cells: keep its id (the first column) so that rows
    referring to it are not reported too; its other cells are not read."""
    id_column = parsers[0][0]
    for column, position, _parse in parsers:
        raw = _cell(record, position)
        keep = column is id_column and raw and "\x00" not in raw
        result.values[column.name].append(raw if keep else _INVALID)


def _parse_row(
    record: list[str], line: int, parsers: _Parsers, result: _Table, problems: Problems
) -> None:
    file = file_name(result.name)
    id_column = parsers[0][0]
    for column, position, parse in parsers:
        raw = _cell(record, position)
        value: object = None
        if not raw:
            if column.required:
                problems.add(file, line, column.name, "empty: a value is required")
        else:
            try:
                value = parse(raw)
            except _Bad as bad:
                problems.add(file, line, column.name, str(bad))
                # A bad id still names its row, so rows referring to it are not reported.
                value = raw if column is id_column else _INVALID
        result.values[column.name].append(value)


# --- Checks across rows and files -----------------------------------------------------------


def _check_ids(t: _Table, problems: Problems) -> dict[str, int]:
    """The table's ids → index of their first row; a repeated id is a problem."""
    file, column = file_name(t.name), id_column(t.name)
    first: dict[str, int] = {}
    for i, value in enumerate(t.column(column)):
        if not isinstance(value, str):
            continue
        if value in first:
            seen = t.lines[first[value]]
            problems.add(
                file, t.lines[i], column, f"duplicate id {quote(value)} (first on line {seen})"
            )
        else:
            first[value] = i
    return first


def _check_refs(
    t: _Table, column: str, target: _Table, ids: dict[str, int], problems: Problems
) -> None:
    if not target.ok:
        return  # its file already has a problem of its own
    file, where = file_name(t.name), file_name(target.name)
    for i, value in enumerate(t.column(column)):
        if isinstance(value, str) and value not in ids:
            problems.add(file, t.lines[i], column, f"{quote(value)} is not in {where}")


def _check_rows(t: _Table, problems: Problems) -> None:
    file = file_name(t.name)
    v = t.values
    if t.name == "cases":
        for i, (opened, closed) in enumerate(zip(v["opened"], v["closed"], strict=True)):
            if isinstance(opened, date) and isinstance(closed, date) and closed < opened:
                problems.add(file, t.lines[i], "closed", f"closed before it was opened ({opened})")
    if t.name == "episodes":
        rows = zip(
            v["step"], v["placement_type"], v["start_date"], v["end_date"], v["end_reason"],
            v["daily_cost"], strict=True,
        )  # fmt: skip
        for i, (step, kind, start, end, reason, cost) in enumerate(rows):
            line = t.lines[i]
            if isinstance(step, int) and isinstance(kind, str) and PLACEMENT_STEP[kind] != step:
                problems.add(
                    file,
                    line,
                    "placement_type",
                    f"{kind} belongs on step {PLACEMENT_STEP[kind]}, not step {step}",
                )
            if isinstance(start, date) and isinstance(end, date) and end < start:
                problems.add(file, line, "end_date", f"ends before it starts ({start})")
            if isinstance(reason, str) and end is None:
                problems.add(file, line, "end_reason", "an end reason without an end_date")
            if isinstance(cost, float) and cost < 0:
                problems.add(file, line, "daily_cost", "must not be negative")


def _check_followups(
    t: _Table,
    episodes: _Table,
    episode_ids: dict[str, int],
    child_ids: dict[str, int],
    problems: Problems,
) -> None:
    if not episodes.ok:
        return
    file = file_name(t.name)
    v, e = t.values, episodes.values
    rows = zip(v["child_id"], v["episode_id"], v["date"], strict=True)
    for i, (child, episode, day) in enumerate(rows):
        if not isinstance(episode, str) or episode not in episode_ids:
            continue
        j = episode_ids[episode]
        their_child, start = e["child_id"][j], e["start_date"][j]
        if (
            isinstance(child, str)
            and child in child_ids
            and isinstance(their_child, str)
            and child != their_child
        ):
            problems.add(
                file,
                t.lines[i],
                "child_id",
                f"the episode {quote(episode)} is of child {quote(their_child)}",
            )
        if isinstance(day, date) and isinstance(start, date) and day < start:
            problems.add(
                file, t.lines[i], "date", f"before the episode {quote(episode)} started ({start})"
            )


def _check_sdq(
    t: _Table, children: _Table, child_ids: dict[str, int], today: date, problems: Problems
) -> None:
    """Each measurement: dated on or after the child's birth and not after `today`, the child
    of an age the informant's questionnaire is for, no impact question the informant is not
    asked, and one measurement per child, informant and date."""
    if not children.ok:
        return
    file = file_name(t.name)
    v = t.values
    births = children.values["birth_date"]
    seen: dict[tuple[str, str, date], int] = {}
    rows = zip(v["child_id"], v["informant"], v["date"], strict=True)
    for i, (child, informant, day) in enumerate(rows):
        line = t.lines[i]
        if isinstance(informant, str):
            asked = set(sdq.IMPACT_ITEMS[sdq.Informant(informant)]) | {"difficulties"}
            for name in SDQ_IMPACT_NAMES:
                if name not in asked and v[f"impact_{name}"][i] is not None:
                    problems.add(
                        file,
                        line,
                        f"impact_{name}",
                        f"not an impact question of the {informant} questionnaire",
                    )
        if not (isinstance(child, str) and child in child_ids and isinstance(day, date)):
            continue
        birth = births[child_ids[child]]
        if isinstance(birth, date) and isinstance(informant, str):
            for problem in sdq_record.problems(sdq.Informant(informant), birth, day, today):
                problems.add(file, line, "date", str(problem))
        if isinstance(informant, str):
            key = (child, informant, day)
            if key in seen:
                problems.add(
                    file,
                    line,
                    None,
                    f"a second {informant} SDQ of child {quote(child)} on {day} "
                    f"(the first on line {seen[key]})",
                )
            else:
                seen[key] = line


def _frame(t: _Table) -> pl.DataFrame:
    if not t.lines:
        return empty(t.name)
    return pl.DataFrame(
        {c.name: t.values[c.name] for c in SCHEMA[t.name]},
        schema={c.name: c.dtype for c in SCHEMA[t.name]},
    )


def read_dataset(
    folder: Path, *, max_bytes: int = MAX_FILE_BYTES, today: date | None = None
) -> Dataset:
    """The dataset in `folder`, or InterchangeError naming file, line, column and problem.

    A file larger than `max_bytes` is refused before it is read. An SDQ dated after `today`
    (default: the computer's date) is refused."""
    problems = Problems()
    if not folder.is_dir():
        problems.add(str(folder), None, None, "folder not found")
        problems.raise_if_any()
    tables: dict[str, _Table] = {}
    ids: dict[str, dict[str, int]] = {}
    for table in SCHEMA:  # every reference points to a file read before
        t = _read_table(folder, table, problems, max_bytes)
        tables[table] = t
        ids[table] = _check_ids(t, problems)
        _check_rows(t, problems)
        if table == "children":
            _check_refs(t, "district", tables["districts"], ids["districts"], problems)
        elif table != "districts":
            _check_refs(t, "child_id", tables["children"], ids["children"], problems)
        if table == "followups":
            _check_refs(t, "episode_id", tables["episodes"], ids["episodes"], problems)
            _check_followups(t, tables["episodes"], ids["episodes"], ids["children"], problems)
        if table == "sdq":
            _check_sdq(t, tables["children"], ids["children"], today or date.today(), problems)
    problems.raise_if_any()
    frames = {}
    for name in list(tables):  # each table's lists go as soon as its frame is made
        frames[name] = _frame(tables.pop(name))
    return Dataset(**frames)


# --- Writing --------------------------------------------------------------------------------


def format_number(value: float) -> str:
    """1500 not 1500.0; 1250.5 as it is; 2.332 as 2.3320, which cannot be read as 2,332."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    return text + "0" if _GROUPED.fullmatch(text) else text


def _formatter(column: Column) -> Callable[[object], str]:
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return format_number(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            return neutralise(value)  # text only: a negative number stays a number
        return str(value)

    return cell


def write_dataset(ds: Dataset, folder: Path, *, excel: bool = False) -> None:
    """Write the six files into `folder` (created if need be), replacing files of those names.

    `excel`: for Excel on Windows, which takes a file without a byte-order mark for the local
    code page and, with Danish settings, splits cells at `;`: UTF-8 with a byte-order mark and
    `;` between the cells. `read_dataset` reads either.
    """
    folder.mkdir(parents=True, exist_ok=True)
    encoding, delimiter = ("utf-8-sig", ";") if excel else ("utf-8", ",")
    for table, columns in SCHEMA.items():
        frame: pl.DataFrame = getattr(ds, table)
        cells = [_formatter(c) for c in columns]
        with (folder / file_name(table)).open("w", encoding=encoding, newline="") as out:
            writer = csv.writer(out, delimiter=delimiter)
            writer.writerow(c.name for c in columns)
            for row in frame.select(c.name for c in columns).iter_rows():
                writer.writerow(f(value) for f, value in zip(cells, row, strict=True))


def equal(a: Dataset, b: Dataset) -> bool:
    """The same rows in the same order in every table."""
    return all(getattr(a, t).equals(getattr(b, t)) for t in SCHEMA)


# --- Plausible daily costs -------------------------------------------------------------------


@dataclass(frozen=True)
class CostRanges:
    """The daily costs (kr.) that look right, low and high included, by placement type and, for
    an episode without one, by step; `source` says where the numbers come from."""

    source: str
    by_placement_type: Mapping[str, tuple[float, float]]
    by_step: Mapping[int, tuple[float, float]]

    def range_of(self, step: int, placement_type: str | None) -> tuple[float, float] | None:
        if placement_type:
            return self.by_placement_type.get(placement_type)
        return self.by_step.get(step)


def _kroner(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value >= 1000 else format_number(value)


def implausible_costs(ds: Dataset, ranges: CostRanges) -> list[Problem]:
    """Episodes whose daily cost lies outside the range of their placement type or step: most
    likely a typing or conversion error (2.332 for 2,332 kr.), but perhaps right. Confirmable."""
    found: list[Problem] = []
    rows = ds.episodes.select("step", "placement_type", "daily_cost").iter_rows()
    for i, (step, kind, cost) in enumerate(rows):
        bounds = ranges.range_of(step, kind)
        if bounds is None or cost is None or bounds[0] <= cost <= bounds[1]:
            continue
        low, high = bounds
        what = kind or f"step {step} without a placement type"
        found.append(
            Problem(
                "episodes.csv",
                line_of(i),
                "daily_cost",
                f"{format_number(cost)} kr. per day is outside the plausible range for {what} "
                f"({_kroner(low)}-{_kroner(high)} kr.)",
                confirmable=True,
            )
        )
    return found


# --- Checks an import adds (pure; the database supplies what it knows) ------------------------


@dataclass(frozen=True)
class CaseSpan:
    index: int  # the row in the cases frame
    case_id: str
    opened: date
    closed: date | None  # open up to, not including, this day

    def open_on(self, day: date) -> bool:
        return self.opened <= day and (self.closed is None or day < self.closed)


def case_spans(ds: Dataset) -> dict[str, list[CaseSpan]]:
    """Each child's cases, in the order they were opened."""
    spans: dict[str, list[CaseSpan]] = {}
    rows = ds.cases.select("case_id", "child_id", "opened", "closed").iter_rows()
    for i, (case_id, child_id, opened, closed) in enumerate(rows):
        spans.setdefault(child_id, []).append(CaseSpan(i, case_id, opened, closed))
    for child_spans in spans.values():
        child_spans.sort(key=lambda s: (s.opened, s.index))
    return spans


def overlapping_cases(spans: dict[str, list[CaseSpan]]) -> list[Problem]:
    """A child has one case at a time: each case must close before the next one opens."""
    found: list[Problem] = []
    for child_spans in spans.values():
        for before, after in zip(child_spans, child_spans[1:], strict=False):
            if before.closed is None or after.opened < before.closed:
                found.append(
                    Problem(
                        "cases.csv",
                        line_of(after.index),
                        "opened",
                        f"the child's case {quote(before.case_id)} is still open on "
                        f"{after.opened} (a child has one case at a time)",
                    )
                )
    return found


def case_open_on(spans: Sequence[CaseSpan], day: date) -> CaseSpan | None:
    for span in spans:
        if span.open_on(day):
            return span
    return None
