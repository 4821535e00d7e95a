"""Score a CSV file of SDQ responses, all or nothing (`trappen sdq score`, docs/wellbeing.md).

One row per questionnaire: `informant` (parent / teacher / self) and `item_1` ... `item_25`
(0, 1, 2 or empty), optionally the impact supplement's columns (`IMPACT_COLUMNS`, 0-3 or empty).
Every problem in every row is collected and named by row and column; when there is one, no
row is scored.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from trappen.core import sdq
from trappen.core.sdq import Impact, Informant, Response, Scale, Scheme

ITEM_COLUMNS = tuple(f"item_{n}" for n in range(1, sdq.ITEM_COUNT + 1))
# "Overall, does the child have difficulties ...?": 0 no, 1-3 yes (minor, definite, severe).
DIFFICULTIES_COLUMN = "impact_difficulties"
IMPACT_ITEM_COLUMNS = tuple(
    f"impact_{name}" for name in ("distress", "home", "friendships", "learning", "leisure", "peers")
)
IMPACT_COLUMNS = (DIFFICULTIES_COLUMN, *IMPACT_ITEM_COLUMNS)
COLUMNS = ("informant", *ITEM_COLUMNS, *IMPACT_COLUMNS)

OUTPUT_FIELDS = (
    "row",
    "informant",
    "emotional",
    "conduct",
    "hyperactivity",
    "peer",
    "prosocial",
    "total_difficulties",
    "externalising",
    "internalising",
    "impact",
    "total_band3",
    "total_band4",
)


class SdqFileError(ValueError):
    """The file cannot be scored; `problems` names each one by row and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class _Row:
    number: int  # the data row: 1 is the first row after the header
    line: int  # the file line it ends on
    cells: dict[str, str]

    @property
    def where(self) -> str:
        return f"row {self.number} (line {self.line})"


def _delimiter(header_line: str) -> str:
    """',' unless the header is ';'-separated (Danish spreadsheets)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _rows(lines: Iterable[str], problems: list[str]) -> Iterator[_Row]:
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None or not first.strip():
        problems.append("line 1: the file is empty; the first line must be the header")
        return
    delimiter = _delimiter(first)

    def all_lines() -> Iterator[str]:
        yield first
        yield from iterator

    reader = csv.reader(all_lines(), delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    if not _header_ok(header, problems):
        return
    for number, values in enumerate(reader, start=1):
        if not any(value.strip() for value in values):
            continue  # a blank line
        if len(values) != len(header):
            problems.append(
                f"row {number} (line {reader.line_num}): {len(values)} values where the header "
                f"has {len(header)} columns"
            )
            continue
        yield _Row(number, reader.line_num, dict(zip(header, values, strict=True)))


def _header_ok(header: list[str], problems: list[str]) -> bool:
    before = len(problems)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(f"header: column {name!r} appears twice")
        seen.add(name)
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        problems.append(
            f"header: unknown column(s) {', '.join(repr(n) for n in unknown)}; the columns are "
            f"informant, item_1 ... item_{sdq.ITEM_COUNT} and optionally "
            f"{', '.join(IMPACT_COLUMNS)}"
        )
    missing = [name for name in ("informant", *ITEM_COLUMNS) if name not in seen]
    if missing:
        items = [name for name in missing if name.startswith("item_")]
        if items:
            problems.append(
                f"header: {sdq.ITEM_COUNT - len(items)} item columns where there must be "
                f"{sdq.ITEM_COUNT}; missing {', '.join(items)}"
            )
        if "informant" in missing:
            problems.append("header: missing column 'informant'")
    return len(problems) == before


def _answer(row: _Row, column: str, allowed: tuple[int, ...], problems: list[str]) -> int | None:
    text = row.cells.get(column, "").strip()
    if not text:
        return None
    if text.isdigit() and int(text) in allowed:
        return int(text)
    problem = sdq.AnswerOutOfRange(column, text, allowed).problem
    problems.append(f"{row.where}, column {column}: {problem}")
    return None


def _impact(row: _Row, informant: Informant, problems: list[str]) -> Impact | None:
    asked = [f"impact_{name}" for name in sdq.IMPACT_ITEMS[informant]]
    given = [c for c in IMPACT_COLUMNS if row.cells.get(c, "").strip()]
    if not given:
        return None
    for column in given:
        if column != DIFFICULTIES_COLUMN and column not in asked:
            problems.append(
                f"{row.where}, column {column}: not an impact item of the {informant} "
                f"questionnaire (its items are {', '.join(asked)})"
            )
    difficulties = _answer(row, DIFFICULTIES_COLUMN, sdq.IMPACT_ANSWERS, problems)
    items = tuple(_answer(row, column, sdq.IMPACT_ANSWERS, problems) for column in asked)
    return Impact(items, None if difficulties is None else difficulties > 0)


def _response(row: _Row, problems: list[str]) -> Response | None:
    before = len(problems)
    informant: Informant | None = None
    try:
        informant = sdq.parse_informant(row.cells["informant"].strip())
    except sdq.UnknownInformant as error:
        problems.append(f"{row.where}, column informant: {error}")
    items = tuple(_answer(row, column, sdq.ANSWERS, problems) for column in ITEM_COLUMNS)
    impact = _impact(row, informant, problems) if informant is not None else None
    if informant is None or len(problems) > before:
        return None
    try:
        return Response(informant, items, impact)
    except sdq.SdqInputError as error:  # the checks above should leave nothing for this
        problems.append(f"{row.where}: {error}")
        return None


def result_row(number: int, response: Response, banding: sdq.Banding) -> dict[str, Any]:
    scores = sdq.score(response)
    total = scores.total_difficulties
    return {
        "row": number,
        "informant": response.informant.value,
        **{scale.value: scores.value(scale) for scale in Scale},
        "total_band3": banding.band(
            response.informant, Scheme.THREE, Scale.TOTAL_DIFFICULTIES, total
        ),
        "total_band4": banding.band(
            response.informant, Scheme.FOUR, Scale.TOTAL_DIFFICULTIES, total
        ),
    }


def score_lines(lines: Iterable[str], banding: sdq.Banding | None = None) -> list[dict[str, Any]]:
    """The scores of every row, in input order; SdqFileError naming every problem if any."""
    banding = banding or sdq.default_banding()
    problems: list[str] = []
    scored: list[tuple[int, Response]] = []
    for row in _rows(lines, problems):
        response = _response(row, problems)
        if response is not None:
            scored.append((row.number, response))
    if problems:
        raise SdqFileError(problems)
    results = [result_row(number, response, banding) for number, response in scored]
    return [{field: result[field] for field in OUTPUT_FIELDS} for result in results]
