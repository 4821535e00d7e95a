"""The simulation as an Excel workbook: the scenario and its assumptions, net saving per year
(10th, 50th and 90th percentile), and placed årsbørn and spending by type per year, baseline
and scenario. Texts never become formulas (`evaluation.xlsx.put`)."""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from trappen.core.kpi.report import CATEGORY_NAMES, TYPES
from trappen.evaluation.xlsx import BOLD, TITLE, neutralise_workbook, put

AMOUNT = "#,##0"
FIGURE = "#,##0.0"


def to_bytes(result: dict[str, Any]) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _("Scenario")
    scenario, est = result["scenario"], result["estimate"]
    rows: list[tuple[str, Any]] = [
        (_("Scenario"), scenario["name"]),
        (_("Source"), scenario["source"]),
        (_("Applies to"), ", ".join(scenario["apply_to"])),
        (_("Rates from"), scenario["rates_from"] or ""),
        (_("Estimated from"), f"{est['window']['from']} – {est['window']['to']}"),
        (_("Runs"), result["runs"]),
        (_("Seed"), result["seed"]),
        (_("Break-even year"), result["break_even"]["year"] or _("not within the years")),
    ]
    put(about, 1, 1, _("Simulation of the investment case")).font = TITLE
    for i, (label, value) in enumerate(rows, start=3):
        put(about, i, 1, label).font = BOLD
        put(about, i, 2, value)
    r = len(rows) + 4
    put(about, r, 1, _("Assumptions")).font = BOLD
    for i, text in enumerate(scenario["assumptions"], start=r + 1):
        put(about, i, 1, text)
    r += len(scenario["assumptions"]) + 2
    put(about, r, 1, _("Changes")).font = BOLD
    for i, (key, value) in enumerate(scenario["changes"].items(), start=r + 1):
        put(about, i, 1, key)
        put(about, i, 2, value)
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 60

    saving = book.create_sheet(_("Net saving"))
    head = [_("Year"), _("From"), _("To")]
    for label in (_("Net saving"), _("Cumulative net saving"), _("Extra staff cost")):
        head += [f"{label}, 10 %", f"{label}, 50 %", f"{label}, 90 %"]
    for c, text in enumerate(head, start=1):
        put(saving, 1, c, text).font = BOLD
    for i, year in enumerate(result["years"], start=2):
        cells: list[Any] = [year["year"], year["from"], year["to"]]
        for key in ("net_saving", "cumulative_net_saving", "staff_cost"):
            q = year[key]
            cells += [q["low"], q["median"], q["high"]]
        for c, value in enumerate(cells, start=1):
            cell = put(saving, i, c, value)
            if c > 3:
                cell.number_format = AMOUNT

    placed = book.create_sheet(_("Placements"))
    head = [_("Year"), _("Kind"), _("Baseline, årsbørn"), _("Scenario, årsbørn")]
    head += [_("Baseline, kr"), _("Scenario, kr")]
    for c, text in enumerate(head, start=1):
        put(placed, 1, c, text).font = BOLD
    r = 2
    for year in result["years"]:
        base, scen = year["baseline"], year["scenario"]
        kinds = [("total", None), *((k, None) for k in CATEGORY_NAMES), *((None, t) for t in TYPES)]
        for category, kind in kinds:

            def pick(
                chain: dict[str, Any],
                part: str,
                category: str | None = category,
                kind: str | None = kind,
            ) -> float:
                figures = chain[part] if part == "placed_aarsboern" else chain[part]["placements"]
                q = figures[category] if category else figures["by_type"][str(kind)]
                return float(q["median"])

            cells = [
                year["year"],
                category or kind,
                pick(base, "placed_aarsboern"),
                pick(scen, "placed_aarsboern"),
                pick(base, "spending"),
                pick(scen, "spending"),
            ]
            for c, value in enumerate(cells, start=1):
                cell = put(placed, r, c, value)
                if c in (3, 4):
                    cell.number_format = FIGURE
                elif c > 4:
                    cell.number_format = AMOUNT
            r += 1
    neutralise_workbook(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
