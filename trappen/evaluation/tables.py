"""The evaluation's tables: the `Table` model every view renders, and the labels they share.

The steering page, the printable report, the Excel workbook and the console all render the
same `Table`s (built by `kora.py` and `comparison.py`), so they always show the same numbers
under the same headings.

Values are stored in the unit they are shown in (amounts in 1,000 kr. already divided); `fmt`
says how to show them: "int", "dec2" (årsbørn, ratios), "pct" (a fraction shown in %), "pp"
(percentage points), "amount" (whole kroner or 1,000 kr.), "p" (a p-value), "num" (the cell
carries its own format), "text".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from trappen.core.kpi import Period
from trappen.core.kpi.results import GroupFigures
from trappen.core.staircase import PlacementType

# ---------------------------------------------------------------- the table model


@dataclass(frozen=True)
class Column:
    label: str
    fmt: str = "dec2"


@dataclass(frozen=True)
class Span:
    """A heading over `width` columns (KORA's "Antal årsbørn" over "Medio 2013, Ultimo 2015")."""

    label: str
    width: int


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Any, ...] = ()
    kind: str = ""  # "" | "heading" (a group's name above its rows) | "total"


@dataclass(frozen=True)
class Table:
    key: str  # "2.1", "figure-2.1", "overview" …: ids, anchors and chart links
    number: str  # "Tabel 2.1", "Figur 2.1" or ""
    title: str
    chapter: str  # key into CHAPTERS
    row_label: str  # heading of the first column
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    spans: tuple[Span, ...] = ()
    caption: str = ""  # one or two sentences on how to read the table
    note: str = ""
    chart: str = ""  # id of the chart that draws the same figures
    sheet: str = ""  # tables with the same sheet share one worksheet of the workbook

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def sheet_name(self) -> str:
        """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
        name = self.sheet or self.number or self.title
        return "".join(c for c in name if c not in "[]:*?/\\")[:31]


# Chapters of the report, as in KORA's: (key, heading)
CHAPTERS = (
    ("overview", gettext_lazy("Key figures")),
    ("placements", gettext_lazy("2.1 The pattern of measures and placements")),
    ("followups", gettext_lazy("2.2 Follow-up")),
    ("economy", gettext_lazy("2.3 Economic consequences")),
    ("quality", gettext_lazy("3 The quality of the work")),
    ("movements", gettext_lazy("4 Movements on the staircase")),
    ("caseload", gettext_lazy("Caseload")),
    ("catalogue", gettext_lazy("Key figures (Socialstyrelsen's catalogue of key figures)")),
    ("wellbeing", gettext_lazy("How the children are doing: SDQ and goal attainment")),
    ("comparison", gettext_lazy("Comparison: differences with 95 % intervals")),
)

# ---------------------------------------------------------------- labels

TYPE_LABELS = {
    PlacementType.RESIDENTIAL_INSTITUTION: gettext_lazy("Residential institutions"),
    PlacementType.SOCIO_PEDAGOGICAL: gettext_lazy("Socio-pedagogical residences"),
    PlacementType.SECURE_INSTITUTION: gettext_lazy("Secure institutions"),
    PlacementType.FOSTER_ORDINARY: gettext_lazy("Ordinary foster family"),
    PlacementType.FOSTER_NETWORK: gettext_lazy("Network foster care"),
    PlacementType.FOSTER_SPECIAL: gettext_lazy("Special foster families"),
    PlacementType.HOME_BASED: gettext_lazy("Home-based placements"),
}
CATEGORY_LABELS = {
    "institution": gettext_lazy("Institution placements"),
    "family_care": gettext_lazy("Foster care placements"),
    "home_based": gettext_lazy("Home-based placements"),
    "total": gettext_lazy("All placed"),
}
CATEGORY_TOTALS = {
    "institution": gettext_lazy("Placed in institutions, total"),
    "family_care": gettext_lazy("Placed in foster care, total"),
    "home_based": gettext_lazy("Home-based placements, total"),
}
STEP_LABELS = {
    "0": gettext_lazy("0 Early prevention"),
    "1": gettext_lazy("1 Prevention"),
    "2": gettext_lazy("2 Home-based measures"),
    "3": gettext_lazy("3 Kinship or network"),
    "4": gettext_lazy("4 Foster care"),
    "5": gettext_lazy("5 Institution"),
    "under_clarification": gettext_lazy("Under clarification"),
    "total": gettext_lazy("Total"),
}
STEP_KEYS = tuple(STEP_LABELS)
FOLLOWUP_LABELS = {
    "institution": gettext_lazy("Institution"),
    "family_care": gettext_lazy("Foster care"),
    "home_based": gettext_lazy("Home-based"),
    "preventive": gettext_lazy("Preventive"),
}
GROUP_BY_LABELS = {
    "group": gettext_lazy("district group"),
    "district": gettext_lazy("district"),
    "team": gettext_lazy("team"),
    "all": gettext_lazy("the whole municipality"),
}


def change_label() -> str:
    """KORA's "Ændring": the change from before to after (Django has its own "Change")."""
    return pgettext("evaluation", "Change")


PLACED_NOTE = gettext_lazy(
    "A child placed for six months of a year counts as 0.5 full-year children (årsbørn), so "
    "placements of different length are counted fairly."
)


def group_label(name: str) -> str:
    if name == "unknown":
        return _("Unknown")
    if name == "all":
        return _("The whole municipality")
    return name


def period_label(period: Period) -> str:
    """ "2015", "2. halvår 2013", "1. kvartal 2014" or "1.3.2014–31.5.2014"."""
    s, e = period.start, period.end
    if s.year == e.year and (s.month, s.day) == (1, 1) and (e.month, e.day) == (12, 31):
        return str(s.year)
    if s.year == e.year and s.day == 1:
        halves = {(1, 6): 1, (7, 12): 2}
        quarters = {(1, 3): 1, (4, 6): 2, (7, 9): 3, (10, 12): 4}
        if period == Period(s, _month_end(e)):
            if (s.month, e.month) in halves:
                half = halves[s.month, e.month]
                return _("%(half)s. half %(year)s") % {"half": half, "year": s.year}
            if (s.month, e.month) in quarters:
                quarter = quarters[s.month, e.month]
                return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": s.year}
    return f"{day_label(s)}–{day_label(e)}"


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def day_label(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def half_year_label(key: str) -> str:
    """ "2014H1" → "1. halvår 2014"."""
    year, _sep, half = key.partition("H")
    if not (year.isdigit() and half in ("1", "2")):
        return key
    return _("%(half)s. half %(year)s") % {"half": half, "year": year}


def move_label(key: str) -> str:
    """ "5->4" → "5 → 4"."""
    return key.replace("->", " → ")


# ---------------------------------------------------------------- reading figures


@dataclass(frozen=True)
class _Formatted:
    """A value that carries its own format (the comparison's rows each have their own unit)."""

    value: Any
    fmt: str


def cell(value: Any, fmt: str) -> tuple[Any, str]:
    """The value and format to show a cell with (`_Formatted` overrides the column's)."""
    if isinstance(value, _Formatted):
        return value.value, value.fmt
    return value, fmt


def formatted(value: Any, fmt: str) -> Any:
    """`value` shown with its own format, whatever its column's (None stays None)."""
    return None if value is None else _Formatted(value, fmt)


# ---------------------------------------------------------------- building rows


def line(label: str, values: Iterable[Any], *, kind: str = "", fmt: str | None = None) -> Row:
    """A row: its label and one value per column (a group, a period, …); `fmt` gives the row
    its own unit, whatever its columns' (a table whose rows are different figures)."""
    if fmt is None:
        return Row(label, tuple(values), kind)
    return Row(label, tuple(formatted(v, fmt) for v in values), kind)


def sections(
    parts: Iterable[tuple[str, Iterable[Row]]], *, headings: bool = True
) -> tuple[Row, ...]:
    """The rows of each (heading, rows) part under a heading row (when `headings`); a part with
    the same heading as the one before continues its section."""
    out: list[Row] = []
    current: str | None = None
    for heading, rows in parts:
        if headings and heading != current:
            out.append(Row(heading, kind="heading"))
            current = heading
        out += rows
    return tuple(out)


def is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def moves_in(*groups: GroupFigures | None) -> list[str]:
    """The moves ("5->4") that happened in any of the figures, from the top step down."""
    moves = {
        move
        for figures in groups
        if figures is not None
        for move, n in figures.movements.moves.items()
        if n
    }
    return sorted(moves, key=move_order)


def move_order(key: str) -> tuple[int, int, str]:
    a, _sep, b = key.partition("->")
    try:
        return (-int(a), int(b), key)
    except ValueError:
        return (0, 0, key)


def chapters(tables: list[Table]) -> list[tuple[str, str, list[Table]]]:
    """The tables by chapter, in the report's order: (key, heading, tables)."""
    out = []
    for key, heading in CHAPTERS:
        members = [t for t in tables if t.chapter == key]
        if members:
            out.append((key, str(heading), members))
    return out
