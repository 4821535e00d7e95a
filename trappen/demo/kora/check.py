"""Compare evaluated figures with KORA's published tables, cell by cell.

`reproduce(figures)` takes a function that evaluates one period with one grouping (the core
`evaluate`, or `trappen evaluate --json` on a CSV export) and returns one `Cell` per published
number of tables 2.1, 2.2, 2.3, 2.5, 2.6, 3.1, 3.2 and 4.1, with the tolerance it is held to:
half a unit of the last published digit, and for unit costs the rounding of the spending and
årsbørn they are computed from (`solve.unit_cost_tolerance`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from trappen.demo.kora import solve, targets
from trappen.demo.kora.targets import GROUPS, TEAMS, TYPES

Figures = Callable[[tuple[date, date], str], dict[str, Any]]
COLUMNS = {"medio_2013": targets.MEDIO_2013, "ultimo_2015": targets.ULTIMO_2015}
YEARS = {2013: targets.YEAR_2013, 2014: targets.YEAR_2014, 2015: targets.YEAR_2015}


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    column: str
    published: float
    computed: float | None
    tolerance: float

    @property
    def ok(self) -> bool:
        return (
            self.computed is not None
            and abs(self.computed - self.published) <= self.tolerance + 1e-9
        )

    def __str__(self) -> str:
        mark = "ok " if self.ok else "OFF"
        return (
            f"{mark} {self.table:<9} {self.row:<40} {self.column:<12} "
            f"published {self.published:>12,.2f}  computed {self.computed or 0:>14,.4f}"
        )


def reproduce(figures: Figures) -> list[Cell]:
    cells: list[Cell] = []
    for column, period in COLUMNS.items():
        result = figures(period, "group")
        for key, name in GROUPS.items():
            cells += _aarsboern(result["groups"][name], key, column)
    for year in (2013, 2015):
        result = figures(YEARS[year], "group")
        for key, name in GROUPS.items():
            cells += _accounts(result["groups"][name], key, year)
    for year in (2014, 2015):
        result = figures(YEARS[year], "group")
        for key, name in GROUPS.items():
            count, pct = targets.breakdowns(key, year)
            got = result["groups"][name]["breakdowns"]
            share = got["per_placed_aarsboern"]
            cells.append(Cell("3.1", f"{key} breakdowns", str(year), count, got["count"], 0))
            cells.append(Cell("3.1", f"{key} % of placed", str(year), pct, _pct(share), 0.05))
        result = figures(YEARS[year], "team")
        for key, team in TEAMS.items():
            count, pct = targets.complaints(key, year)
            got = result["groups"][team]["complaints"]
            cells.append(Cell("3.2", f"{key} complaints", str(year), count, got["count"], 0))
            cells.append(Cell("3.2", f"{key} % of cases", str(year), pct, _pct(got["share"]), 0.05))
    return cells


def _pct(share: float | None) -> float | None:
    return None if share is None else share * 100


def _aarsboern(got: dict[str, Any], group: str, column: str) -> list[Cell]:
    pub = targets.aarsboern(group, column)
    aarsboern, shares = got["placed_aarsboern"], got["share_of_placed"]
    cells = [Cell("2.1", f"{group} placed", column, pub.total, aarsboern["total"], 0.005)]
    for t in TYPES:
        table = "4.1" if t == "home_based" else ("2.3" if t.startswith("foster") else "2.2")
        cells.append(
            Cell(table, f"{group} {t}", column, pub.by_type[t], aarsboern["by_type"][t], 0.005)
        )
        cells.append(
            Cell(table, f"{group} {t} share", column, pub.share[t], shares["by_type"][t], 0.005)
        )
    for cat, table in (("institution", "2.2"), ("family_care", "2.3")):
        cells.append(
            Cell(table, f"{group} {cat}", column, pub.by_category[cat], aarsboern[cat], 0.005)
        )
        cells.append(
            Cell(table, f"{group} {cat} share", column, pub.share[cat], shares[cat], 0.005)
        )
    return cells


def _accounts(got: dict[str, Any], group: str, year: int) -> list[Cell]:
    spend, unit = targets.spending(group, year), targets.unit_cost(group, year)
    cells = []
    for cat in ("home_based", "family_care", "institution", "total"):
        computed = got["spending"][cat]
        cells.append(Cell("2.5", f"{group} {cat}", str(year), spend[cat], computed / 1000, 0.5))
        aarsboern = got["placed_aarsboern"][cat]
        tolerance = solve.unit_cost_tolerance(unit[cat], spend[cat], aarsboern)
        cells.append(
            Cell("2.6", f"{group} {cat}", str(year), unit[cat], got["unit_cost"][cat], tolerance)
        )
    return cells
