"""The tables of KORA's evaluation report (KORA 2017) from one `Figures`.

A table's rows are the groups (district groups, districts or teams) and the whole municipality
("I alt"); where KORA splits by placement type, each group gets a heading row followed by one
row per type. With a comparison period the columns are KORA's: the before period, the after
period, the change (and the change in % or in percentage points). With one period, that period.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from trappen.core.dataset import CATEGORIES
from trappen.core.kpi import Period
from trappen.core.kpi.results import ByPlacement, GroupFigures
from trappen.core.staircase import PlacementType
from trappen.evaluation import comparison, keyfigures, wellbeing
from trappen.evaluation.figures import Figures
from trappen.evaluation.tables import (
    CATEGORY_LABELS,
    CATEGORY_TOTALS,
    FOLLOWUP_LABELS,
    GROUP_BY_LABELS,
    PLACED_NOTE,
    STEP_KEYS,
    STEP_LABELS,
    TYPE_LABELS,
    Column,
    Row,
    Span,
    Table,
    change_label,
    day_label,
    group_label,
    half_year_label,
    is_iso,
    line,
    move_label,
    moves_in,
    period_label,
    sections,
)

# Step counts come per quarter-end: a period of more than three years (13 dates) shows one row
# per year, its last count, instead of a page of quarters (a 30-year period gave 120 rows a unit).
YEARLY_AFTER = 13


def by_year(dated: list[tuple[str, Mapping[str, Any]]]) -> list[tuple[str, Mapping[str, Any]]]:
    """The last dated entry of each year, in order (keys that are no date are kept)."""
    last: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for key, values in dated:
        last[key[:4] if is_iso(key) else key] = (key, values)
    return sorted(last.values())


def change(before: Any, after: Any) -> Any:
    return None if before is None or after is None else after - before


def change_pct(before: Any, after: Any) -> Any:
    """The change as a fraction of before (shown in %); None when before is 0 or missing."""
    if before is None or after is None or not before:
        return None
    return (after - before) / before


def points(before: Any, after: Any) -> Any:
    """The change of two fractions in percentage points."""
    diff = change(before, after)
    return None if diff is None else 100 * diff


def thousands(value: Any) -> Any:
    return None if value is None else value / 1000


Get = Callable[[GroupFigures], Any]  # one figure of a group's figures
P = TypeVar("P")  # what a part of a split table reads its row's values with


def _move(move: str) -> Get:
    return lambda g: g.movements.moves.get(move)


def _direction(key: str) -> Get:
    return lambda g: g.movements.down if key == "down" else g.movements.up


def at(figures: GroupFigures | None, get: Get) -> Any:
    """`get(figures)`; None when the group has no figures in that period."""
    return None if figures is None else get(figures)


@dataclass(frozen=True)
class Unit:
    """One row group of the tables: a group's (or the total's) figures in each period."""

    label: str
    before: GroupFigures | None
    after: GroupFigures | None
    total: bool = False


class Builder:
    def __init__(self, figures: Figures) -> None:
        self.f = figures
        self.compares = figures.before is not None
        after_period = figures.query.period
        self.after_label = period_label(after_period)
        self.before_label = period_label(figures.query.before) if figures.query.before else ""
        if self.compares and self.before_label == self.after_label:
            self.before_label = f"{self.before_label} ({_('before')})"

    # -- units and columns

    def units(self, *, with_total: bool = True) -> list[Unit]:
        f = self.f
        names = f.group_names
        out = [
            Unit(
                group_label(name),
                f.before.groups.get(name) if f.before else None,
                f.after.groups.get(name),
            )
            for name in names
        ]
        if names == ["all"]:
            return out  # the only group is the whole municipality
        if with_total:
            out.append(
                Unit(
                    _("Total"),
                    f.before.total if f.before else None,
                    f.after.total,
                    total=True,
                )
            )
        return out

    def periods(self) -> list[str]:
        return [self.before_label, self.after_label] if self.compares else [self.after_label]

    def values(self, unit: Unit, get: Get) -> list[Any]:
        if self.compares:
            return [at(unit.before, get), at(unit.after, get)]
        return [at(unit.after, get)]

    def measure(self, label: str, fmt: str, rel: str | None) -> tuple[Span, list[Column]]:
        """A span `label` over the periods, then (comparing) the change and its relative form:
        rel "pct" (and the change in %), "pp" (the change of a share, in percentage points) or
        None (the change only)."""
        cols = [Column(p, fmt) for p in self.periods()]
        if self.compares:
            if rel == "pp":
                cols.append(Column(_("Change in percentage points"), "pp"))
            else:
                cols.append(Column(change_label(), fmt))
            if rel == "pct":
                cols.append(Column(_("Change in %"), "pct"))
        return Span(label, len(cols)), cols

    def measure_values(self, unit: Unit, get: Get, rel: str | None) -> list[Any]:
        vals = self.values(unit, get)
        if not self.compares:
            return vals
        before, after = vals
        if rel == "pp":
            return [before, after, points(before, after)]
        out = [before, after, change(before, after)]
        if rel == "pct":
            out.append(change_pct(before, after))
        return out

    def unit_rows(self, values: Callable[[Unit], Iterable[Any]]) -> tuple[Row, ...]:
        """One row per group, then the total: the unit's label and `values(unit)`."""
        return tuple(
            line(u.label, values(u), kind="total" if u.total else "") for u in self.units()
        )

    def per_unit(self, rows: Callable[[Unit], Iterable[Row]]) -> tuple[Row, ...]:
        """Per group (and the total) a heading row, then `rows(unit)`; no headings when there
        is only one unit."""
        units = self.units()
        return sections(((u.label, rows(u)) for u in units), headings=len(units) > 1)

    def split_rows(
        self,
        parts: Iterable[tuple[str, P, str]],
        row_values: Callable[[Unit, P], list[Any]],
    ) -> tuple[Row, ...]:
        """Per group a heading row, then one row per part (label, getter, kind)."""
        parts = list(parts)
        return self.per_unit(
            lambda unit: [
                line(label, row_values(unit, get), kind=kind) for label, get, kind in parts
            ]
        )

    # -- the tables

    def tables(self) -> list[Table]:
        out = [
            self.overview(),
            self.step_counts(),
            self.placed(),
            self.by_category("institution", "2.2"),
            self.by_category("family_care", "2.3"),
            self.followups(),
            self.spending(),
            self.unit_cost(),
            self.breakdowns(),
            self.complaints(),
            self.intake(),
            self.movements(),
            self.by_category("home_based", "4.1"),
            self.caseload(),
            *keyfigures.tables(self),
            *wellbeing.tables(self.f.wellbeing),
        ]
        if self.f.comparison:
            out += comparison.tables(self.f.comparison, self.before_label, self.after_label)
        return out

    def overview(self) -> Table:
        cols = (
            Column(_("Placed full-year children"), "dec2"),
            Column(_("Placed children"), "int"),
            Column(_("Share in foster care"), "pct"),
            Column(_("Share in institutions"), "pct"),
            Column(_("Spending (1,000 kr.)"), "amount"),
            Column(_("Unit cost per full-year child (kr.)"), "amount"),
            Column(_("Breakdowns"), "int"),
            Column(_("Complaints"), "int"),
            Column(_("Cases"), "int"),
            Column(_("Average caseload"), "dec2"),
        )

        def main(g: GroupFigures | None) -> tuple[Any, ...]:
            if g is None:
                return (None,) * len(cols)
            return (
                g.placed_aarsboern.total,
                g.placed_children.total,
                g.share_of_placed.family_care,
                g.share_of_placed.institution,
                thousands(g.spending.total),
                g.unit_cost.total,
                g.breakdowns.count,
                g.complaints.count,
                g.complaints.cases,
                g.caseload.mean,
            )

        rows = self.unit_rows(lambda unit: main(unit.after))
        return Table(
            key="overview",
            number="",
            title=_("Key figures, %(period)s") % {"period": self.after_label},
            chapter="overview",
            row_label=self.row_label(),
            columns=cols,
            rows=rows,
            caption=_(
                "The main figures of the period by %(group_by)s. The tables below show each "
                "figure in detail, as in KORA's evaluation."
            )
            % {"group_by": GROUP_BY_LABELS.get(self.f.query.group_by, "")},
        )

    def row_label(self) -> str:
        return self.group_by_text().capitalize()

    def group_by_text(self) -> str:
        return str(GROUP_BY_LABELS.get(self.f.query.group_by, ""))

    def placed(self) -> Table:
        span, cols = self.measure(_("Number of placed full-year children"), "dec2", "pct")
        rows = self.unit_rows(
            lambda u: self.measure_values(u, lambda g: g.placed_aarsboern.total, "pct")
        )
        return Table(
            key="2.1",
            number=_("Table %(number)s") % {"number": "2.1"},
            title=_("Number of placed full-year children"),
            chapter="placements",
            row_label=self.row_label(),
            columns=tuple(cols),
            rows=rows,
            spans=(span,),
            caption=_("How the total number of placed children developed, by %(group_by)s.")
            % {"group_by": GROUP_BY_LABELS.get(self.f.query.group_by, "")},
            note=str(PLACED_NOTE),
            chart="aarsboern",
        )

    def by_category(self, category: str, number: str) -> Table:
        count_span, count_cols = self.measure(_("Full-year children"), "dec2", None)
        # xgettext:no-python-format
        share_span, share_cols = self.measure(_("In % of all placed"), "pct", "pp")
        types = CATEGORIES[category]

        def part(ptype: str | None) -> tuple[str, Get, Get]:
            if ptype is None:
                return (
                    str(CATEGORY_TOTALS[category]),
                    lambda g: g.placed_aarsboern.of(category),
                    lambda g: g.share_of_placed.of(category),
                )
            return (
                str(TYPE_LABELS[PlacementType(ptype)]),
                lambda g: g.placed_aarsboern.by_type.get(ptype),
                lambda g: g.share_of_placed.by_type.get(ptype),
            )

        parts = [part(t) for t in types] if len(types) > 1 else []
        parts.append(part(None))

        def row_values(unit: Unit, getters: tuple[Get, Get]) -> list[Any]:
            count, share = getters
            return self.measure_values(unit, count, None) + self.measure_values(unit, share, "pp")

        titles = {
            "institution": _("Number of full-year children placed in institutions"),
            "family_care": _("Number of full-year children placed in foster care"),
            "home_based": _("Number of full-year children in home-based placements"),
        }
        notes = {
            "family_care": _(
                "Special foster families are municipal foster families, TFCO, MTFC and the like."
            )
            + " ",
        }
        if len(types) == 1:  # one type: the groups are the rows (KORA's table 4.1)
            rows = self.unit_rows(lambda u: row_values(u, (parts[0][1], parts[0][2])))
            row_label = self.row_label()
        else:
            rows = self.split_rows(
                [
                    (label, (count, share), "total" if i == len(parts) - 1 else "")
                    for i, (label, count, share) in enumerate(parts)
                ],
                row_values,
            )
            row_label = ""
        return Table(
            key=number,
            number=_("Table %(number)s") % {"number": number},
            title=titles[category],
            chapter="movements" if category == "home_based" else "placements",
            row_label=row_label,
            columns=tuple(count_cols + share_cols),
            rows=rows,
            spans=(count_span, share_span),
            caption=_(
                "Full-year children by placement type, and each type's share of all placed "
                "full-year children."
            ),
            note=notes.get(category, "") + str(PLACED_NOTE),
        )

    def money(self, key: str, number: str, title: str, fmt_thousands: bool) -> Table:
        scale = thousands if fmt_thousands else (lambda v: v)
        label = _("Spending") if key == "spending" else _("Unit cost")
        span, cols = self.measure(label, "amount", "pct")

        def figure(g: GroupFigures) -> ByPlacement[float | None]:
            return g.spending if key == "spending" else g.unit_cost

        def of(kind: str) -> Get:
            return lambda g: scale(figure(g).of(kind))

        parts = [
            (str(CATEGORY_LABELS[c]), of(c), "")
            for c in ("home_based", "family_care", "institution")
        ]
        parts.append((str(CATEGORY_LABELS["total"]), of("total"), "total"))
        prices = self.prices_text()
        unit_text = _("Amounts in 1,000 kr.") if fmt_thousands else _("Amounts in kr.")
        return Table(
            key=number,
            number=_("Table %(number)s") % {"number": number},
            title=title,
            chapter="economy",
            row_label=_("Measure"),
            columns=tuple(cols),
            rows=self.split_rows(parts, lambda u, get: self.measure_values(u, get, "pct")),
            spans=(span,),
            caption=f"{unit_text} {prices}",
            chart="spending" if key == "spending" else "unit_cost",
        )

    def prices_text(self) -> str:
        q = self.f.query
        if q.prices and q.base_year:
            return _("%(year)s prices.") % {"year": q.base_year}
        if q.prices:
            return _("Fixed prices.")
        return _("Current prices (the episodes' daily costs).")

    def spending(self) -> Table:
        return self.money("spending", "2.5", _("Spending on placements"), fmt_thousands=True)

    def unit_cost(self) -> Table:
        return self.money(
            "unit_cost",
            "2.6",
            _("Unit cost per full-year child by kind of placement"),
            fmt_thousands=False,
        )

    def breakdowns(self) -> Table:
        periods = self.periods()
        cols = [Column(p, "int") for p in periods] + [Column(p, "pct") for p in periods]
        spans = (
            Span(_("Number of breakdowns"), len(periods)),
            # xgettext:no-python-format
            Span(_("Breakdowns in % of placed full-year children"), len(periods)),
        )
        rows = self.unit_rows(
            lambda u: (
                self.values(u, lambda g: g.breakdowns.count)
                + self.values(u, lambda g: g.breakdowns.per_placed_aarsboern)
            )
        )
        return Table(
            key="3.1",
            number=_("Table %(number)s") % {"number": "3.1"},
            title=_("Placement breakdowns (the National Social Appeals Board's definition)"),
            chapter="quality",
            row_label=self.row_label(),
            columns=tuple(cols),
            rows=rows,
            spans=spans,
            # xgettext:no-python-format
            caption=_("Breakdowns in absolute numbers and in % of all placed full-year children."),
            note=_(
                "A breakdown is a placement that ends because the child leaves the placement or "
                "the placement gives the child up."
            ),
        )

    def complaints(self) -> Table:
        periods = self.periods()
        cols = (
            [Column(p, "int") for p in periods]
            + [Column(p, "dec2") for p in periods]
            + [Column(p, "pct") for p in periods]
        )
        spans = (
            Span(_("Number of complaints"), len(periods)),
            Span(_("Open cases on average"), len(periods)),
            # xgettext:no-python-format
            Span(_("In % of all cases"), len(periods)),
        )
        rows = self.unit_rows(
            lambda u: (
                self.values(u, lambda g: g.complaints.count)
                + self.values(u, lambda g: g.complaints.open_cases)
                + self.values(u, lambda g: g.complaints.share)
            )
        )
        return Table(
            key="3.2",
            number=_("Table %(number)s") % {"number": "3.2"},
            title=_("Complaints about the case handling"),
            chapter="quality",
            row_label=self.row_label(),
            columns=tuple(cols),
            rows=rows,
            spans=spans,
            caption=_(
                "Complaints in absolute numbers and in %% of all cases (per case open on average "
                "in the period: open case-days ÷ days), by %(group_by)s."
            )
            % {"group_by": GROUP_BY_LABELS.get(self.f.query.group_by, "")},
            note=_("KORA shows the complaints by team: choose “Grouped by: team”."),
        )

    def intake(self) -> Table:
        periods = self.periods()
        parts = (
            (_("Notifications received"), "int", lambda g: g.intake.received),
            (_("Assessed within the deadline"), "int", lambda g: g.intake.assessed_in_time),
            # xgettext:no-python-format
            (_("In % of the notifications"), "pct", lambda g: g.intake.share_in_time),
            (_("Followed by a measure"), "int", lambda g: g.intake.with_measure),
            (
                _("Median days to the first measure"),
                "dec2",
                lambda g: g.intake.median_days_to_measure,
            ),
            (
                _("Average days to the first measure"),
                "dec2",
                lambda g: g.intake.mean_days_to_measure,
            ),
        )
        cols = [Column(p, fmt) for _label, fmt, _get in parts for p in periods]
        spans = tuple(Span(label, len(periods)) for label, _fmt, _get in parts)
        rows = self.unit_rows(
            lambda u: [v for _label, _fmt, get in parts for v in self.values(u, get)]
        )
        return Table(
            key="intake",
            number="",
            title=_("Notifications: the 24-hour assessment and the way to the first measure"),
            chapter="quality",
            row_label=self.row_label(),
            columns=tuple(cols),
            rows=rows,
            spans=spans,
            caption=_(
                "Notifications received in the period, those whose assessment was made by its "
                "deadline (24 hours, Barnets Lov section 136), and the days from the notification "
                "to the child's first measure starting on or after that day."
            ),
            note=_("Only notifications registered in trappen count: an import has none."),
        )

    def dated(
        self, unit: Unit, section: Callable[[GroupFigures], Mapping[str, Mapping[str, Any]]]
    ) -> list[tuple[str, Mapping[str, Any]]]:
        """A dated section (step counts, follow-ups per half-year) of both periods, in order;
        a key in both periods is taken from the after period."""
        merged: dict[str, Mapping[str, Any]] = {}
        for figures in (unit.before, unit.after):
            if figures is not None:
                merged.update(section(figures))
        return sorted(merged.items())

    def step_counts(self) -> Table:
        cols = tuple(Column(str(STEP_LABELS[k]), "int") for k in STEP_KEYS)
        dated = {unit.label: self.dated(unit, lambda g: g.step_counts) for unit in self.units()}
        long = any(len(rows) > YEARLY_AFTER for rows in dated.values())
        rows = self.per_unit(
            lambda unit: [
                line(
                    day_label(date.fromisoformat(key)) if is_iso(key) else key,
                    (counts.get(k) for k in STEP_KEYS),
                )
                for key, counts in (by_year(dated[unit.label]) if long else dated[unit.label])
            ]
        )
        caption = _(
            "Children with an open case by the highest step they stand on that day; "
            "under clarification: an open case without an active measure."
        )
        if long:
            caption += " " + _("A long period: the last count of each year.")
        return Table(
            key="figure-2.1",
            number=_("Figure %(number)s") % {"number": "2.1"},
            title=_("Number of cases on the steps of the staircase"),
            chapter="placements",
            row_label=_("Date"),
            columns=cols,
            rows=rows,
            caption=caption,
            chart="steps",
        )

    def followups(self) -> Table:
        cols = tuple(Column(str(label), "dec2") for label in FOLLOWUP_LABELS.values())
        rows = self.per_unit(
            lambda unit: [
                line(half_year_label(key), (values.get(k) for k in FOLLOWUP_LABELS))
                for key, values in self.dated(unit, lambda g: g.followups_per_case)
            ]
        )
        return Table(
            key="figure-2.2",
            number=_("Figure %(number)s") % {"number": "2.2"},
            title=_("Average number of follow-ups per case per half-year"),
            chapter="followups",
            row_label=_("Half-year"),
            columns=cols,
            rows=rows,
            caption=_(
                "Follow-ups with a child conversation per case in each half-year, on measures "
                "with a follow-up duty (not early prevention), by the kind of measure: KORA's "
                "definition. The broader count of every follow-up is followups_all_per_case."
            ),
            chart="followups",
        )

    def movements(self) -> Table:
        periods = self.periods()
        cols = tuple(Column(p, "int") for p in periods)

        def unit_moves(unit: Unit) -> list[Row]:
            rows = [
                line(
                    move_label(move),
                    self.values(unit, _move(move)),
                )
                for move in moves_in(unit.before, unit.after)
            ]
            for label, key in ((_("Down the staircase"), "down"), (_("Up the staircase"), "up")):
                values = self.values(unit, _direction(key))
                rows.append(line(label, values, kind="total"))
            return rows

        rows = self.per_unit(unit_moves)
        return Table(
            key="figure-4.1",
            number=_("Figure %(number)s") % {"number": "4.1"},
            title=_("Number of moves from one step of the staircase to another"),
            chapter="movements",
            row_label=_("From step → to step"),
            columns=cols,
            rows=rows,
            spans=(Span(_("Number of moves"), len(cols)),),
            caption=_(
                "Moves of a child's highest step; children who stayed on one step are not counted."
            ),
            chart="movements",
        )

    def caseload(self) -> Table:
        periods = self.periods()
        spans = (
            Span(_("Counted on"), len(periods)),
            Span(_("Average open cases per caseworker"), len(periods)),
            Span(_("Most open cases of one caseworker"), len(periods)),
        )
        cols = (
            [Column(p, "text") for p in periods]
            + [Column(p, "dec2") for p in periods]
            + [Column(p, "int") for p in periods]
        )

        def counted(g: GroupFigures) -> str:
            day = g.caseload.date
            return day_label(date.fromisoformat(day)) if is_iso(day) else day

        rows = self.unit_rows(
            lambda u: (
                self.values(u, counted)
                + self.values(u, lambda g: g.caseload.mean)
                + self.values(u, lambda g: g.caseload.max)
            )
        )
        return Table(
            key="caseload",
            number="",
            title=_("Caseload per caseworker"),
            chapter="caseload",
            row_label=self.row_label(),
            columns=tuple(cols),
            rows=rows,
            spans=spans,
            caption=_(
                "Open cases per caseworker on the last day of the period (the model: 20-25)."
            ),
        )


def about(figures: Figures) -> list[tuple[str, str]]:
    """What was evaluated, as (label, text) lines: the period mapping and the choices."""
    q = figures.query

    def period(p: Period) -> str:
        return _("%(label)s: %(start)s to %(end)s (%(days)s days)") % {
            "label": period_label(p),
            "start": day_label(p.start),
            "end": day_label(p.end),
            "days": p.days,
        }

    lines = []
    if q.before is not None:
        lines.append((_("Before (comparison period)"), period(q.before)))
        lines.append((_("After (period)"), period(q.period)))
    else:
        lines.append((_("Period"), period(q.period)))
    lines.append((_("Grouped by"), str(GROUP_BY_LABELS.get(q.group_by, q.group_by))))
    if q.treated:
        lines.append((_("Treated group"), group_label(q.treated)))
    if q.control:
        lines.append((_("Control group"), group_label(q.control)))
    lines.append((_("Prices"), Builder(figures).prices_text()))
    return lines


def source_line(figures: Figures) -> str:
    when = figures.computed_at
    return _("Source: trappen, computed %(date)s at %(time)s") % {
        "date": day_label(when.date()),
        "time": when.strftime("%H:%M"),
    }


def build(figures: Figures) -> list[Table]:
    return Builder(figures).tables()
