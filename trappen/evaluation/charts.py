"""The steering page's charts as plain data for Chart.js (passed with `json_script`).

`steering.js` draws every `<canvas data-chart="ID">` from the spec with that id. The colours
are fixed per series (a step is always the same colour) and chosen to stay apart in print and
for colour-blind readers (Paul Tol's "muted" palette).
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from trappen.core.kpi.results import GroupFigures
from trappen.core.staircase import PlacementType
from trappen.evaluation.figures import Figures
from trappen.evaluation.kora import Builder
from trappen.evaluation.tables import (
    CATEGORY_LABELS,
    FOLLOWUP_LABELS,
    STEP_LABELS,
    TYPE_LABELS,
    day_label,
    group_label,
    half_year_label,
    move_label,
    moves_in,
)

STEP_COLOURS = {
    "0": "#88CCEE",
    "1": "#44AA99",
    "2": "#117733",
    "3": "#DDCC77",
    "4": "#CC6677",
    "5": "#882255",
    "under_clarification": "#AAAAAA",
}
TYPE_COLOURS = {
    PlacementType.RESIDENTIAL_INSTITUTION: "#882255",
    PlacementType.SOCIO_PEDAGOGICAL: "#AA4499",
    PlacementType.SECURE_INSTITUTION: "#332288",
    PlacementType.FOSTER_ORDINARY: "#CC6677",
    PlacementType.FOSTER_NETWORK: "#DDCC77",
    PlacementType.FOSTER_SPECIAL: "#999933",
    PlacementType.HOME_BASED: "#117733",
}
CATEGORY_COLOURS = {
    "home_based": "#117733",
    "family_care": "#CC6677",
    "institution": "#882255",
    "total": "#332288",
}
FOLLOWUP_COLOURS = {
    "institution": "#882255",
    "family_care": "#CC6677",
    "home_based": "#117733",
    "preventive": "#44AA99",
}
PERIOD_COLOURS = ("#88CCEE", "#332288")

Spec = dict[str, Any]


def build(figures: Figures) -> list[Spec]:
    """The charts that have something to show (a value other than 0 or nothing)."""
    return [spec for spec in Charts(figures).all() if _has_data(spec)]


def _has_data(spec: Spec) -> bool:
    return any(v for dataset in spec["datasets"] for v in dataset["data"])


def _dataset(label: Any, data: list[Any], colour: str, **extra: Any) -> Spec:
    return {"label": str(label), "data": data, "colour": colour, **extra}


class Charts:
    def __init__(self, figures: Figures) -> None:
        self.f = figures
        self.b = Builder(figures)
        treated = figures.query.treated
        if treated and treated in figures.group_names:
            self.focus_name = group_label(treated)
            self.focus: list[GroupFigures | None] = [
                r.groups.get(treated) if r else None for r in (figures.before, figures.after)
            ]
        else:
            self.focus_name = _("Total")
            self.focus = [r.total if r else None for r in (figures.before, figures.after)]

    def all(self) -> list[Spec]:
        return [
            self.steps(),
            self.aarsboern(),
            self.followups(),
            self.money("spending"),
            self.money("unit_cost"),
            self.movements(),
        ]

    def columns(self) -> tuple[list[str], list[GroupFigures | None]]:
        """The bars of the per-group charts: each group (the total only when it is the one),
        in each period."""
        units = self.b.units(with_total=False) or self.b.units()
        labels: list[str] = []
        figures: list[GroupFigures | None] = []
        for unit in units:
            if self.b.compares:
                labels += [
                    f"{unit.label} {self.b.before_label}",
                    f"{unit.label} {self.b.after_label}",
                ]
                figures += [unit.before, unit.after]
            else:
                labels.append(unit.label)
                figures.append(unit.after)
        return labels, figures

    def steps(self) -> Spec:
        merged: dict[str, Mapping[str, int]] = {}
        for report in self.focus:
            if report is not None:
                merged.update(report.step_counts)
        dates = sorted(merged)
        return {
            "id": "steps",
            "kind": "bar",
            "stacked": True,
            "title": _("Cases on the steps of the staircase: %(unit)s") % {"unit": self.focus_name},
            "labels": [_day(d) for d in dates],
            "y": _("Cases"),
            "datasets": [
                _dataset(STEP_LABELS[k], [merged[d].get(k) for d in dates], colour)
                for k, colour in STEP_COLOURS.items()
            ],
        }

    def aarsboern(self) -> Spec:
        labels, figures = self.columns()
        return {
            "id": "aarsboern",
            "kind": "bar",
            "stacked": True,
            "title": _("Placed full-year children by placement type"),
            "labels": labels,
            "y": _("Full-year children"),
            "datasets": [
                _dataset(
                    TYPE_LABELS[t],
                    [f.placed_aarsboern.by_type.get(t.value) if f else None for f in figures],
                    colour,
                )
                for t, colour in TYPE_COLOURS.items()
            ],
        }

    def followups(self) -> Spec:
        merged: dict[str, Mapping[str, float | None]] = {}
        for report in self.focus:
            if report is not None:
                merged.update(report.followups_per_case)
        halves = sorted(merged)
        return {
            "id": "followups",
            "kind": "line",
            "stacked": False,
            "title": _("Follow-ups per case per half-year: %(unit)s") % {"unit": self.focus_name},
            "labels": [half_year_label(h) for h in halves],
            "y": _("Follow-ups per case"),
            "datasets": [
                _dataset(FOLLOWUP_LABELS[k], [merged[h].get(k) for h in halves], colour)
                for k, colour in FOLLOWUP_COLOURS.items()
            ],
        }

    def money(self, key: str) -> Spec:
        labels, figures = self.columns()
        spending = key == "spending"
        scale = 1000 if spending else 1
        categories: tuple[str, ...] = ("home_based", "family_care", "institution")
        if not spending:
            categories += ("total",)

        def value(f: GroupFigures | None, c: str) -> int | None:
            if f is None:
                return None
            v = (f.spending if spending else f.unit_cost).of(c)
            return None if v is None else round(v / scale)

        return {
            "id": key,
            "kind": "bar",
            "stacked": spending,
            "title": _("Spending on placements (1,000 kr.)")
            if spending
            else _("Unit cost per full-year child (kr.)"),
            "labels": labels,
            "y": _("1,000 kr.") if spending else _("kr. per full-year child"),
            "datasets": [
                _dataset(CATEGORY_LABELS[c], [value(f, c) for f in figures], CATEGORY_COLOURS[c])
                for c in categories
            ],
        }

    def movements(self) -> Spec:
        moves = moves_in(*self.focus)
        periods = (
            [self.b.before_label, self.b.after_label] if self.b.compares else [self.b.after_label]
        )
        reports = self.focus if self.b.compares else self.focus[1:]
        return {
            "id": "movements",
            "kind": "bar",
            "stacked": False,
            "horizontal": True,
            "title": _("Moves between steps: %(unit)s") % {"unit": self.focus_name},
            "labels": [move_label(m) for m in moves],
            "y": _("Moves"),
            "datasets": [
                _dataset(
                    label,
                    [r.movements.moves.get(m) if r else None for m in moves],
                    PERIOD_COLOURS[i + (2 - len(periods))],
                )
                for i, (label, r) in enumerate(zip(periods, reports, strict=True))
            ],
        }


def _day(iso: str) -> str:
    try:
        return day_label(date.fromisoformat(iso))
    except ValueError:
        return iso
