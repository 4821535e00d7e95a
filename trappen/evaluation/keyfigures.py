"""Socialstyrelsen's catalogue of key figures (nøgletalskataloget, docs/keyfigures.md) as tables.

One column per group and one for the total (with a comparison period: both periods under each
group), one row per figure; the rows are different figures, so each carries its own unit. The
eleven figures fall into three tables, short enough to print one a page, and share one sheet of
the workbook.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappen.core.kpi.results import GroupFigures, KindFigures, Share
from trappen.core.kpi.results import KeyFigures as Catalogue
from trappen.evaluation.tables import (
    STEP_LABELS,
    Column,
    Row,
    Span,
    Table,
    half_year_label,
    line,
    sections,
)

if TYPE_CHECKING:
    from trappen.evaluation.kora import Builder

Get = Callable[[Catalogue], Any]  # one figure of a group's catalogue

# (key of the kind, heading, label of `new`)
KINDS = (
    ("institution", gettext_lazy("1 Institution placements"), "placement"),
    ("foster", gettext_lazy("3 Foster placements"), "placement"),
    ("network", gettext_lazy("4 Network placements"), "placement"),
    ("home_based", gettext_lazy("5 Home-based measures"), "measure"),
    ("preventive", gettext_lazy("6 Preventive measures (section 11(3))"), "measure"),
)
NEXT_STEPS = ("5", "4", "3", "2", "1", "0")
MOVE_TARGETS = ("0", "1", "3", "4", "5")


def kf(figures: GroupFigures, get: Get) -> Any:
    """A figure of the catalogue of a group's figures."""
    return get(figures.key_figures)


def _key(mapping: Callable[[Catalogue], Mapping[str, int]], key: str) -> Get:
    """The figure under `key` of a keyed figure (a step, a half-year)."""
    return lambda k: mapping(k).get(key)


def _then(first: Callable[[Catalogue], Share], then: Callable[[Share], Any]) -> Get:
    return lambda k: then(first(k))


def tables(builder: "Builder") -> list[Table]:
    return KeyFigures(builder).tables()


class KeyFigures:
    def __init__(self, builder: "Builder") -> None:
        self.b = builder
        self.units = builder.units()
        self.has_data = any(
            report is not None for u in self.units for report in (u.before, u.after)
        )

    # -- columns and rows

    def columns(self) -> tuple[tuple[Column, ...], tuple[Span, ...]]:
        """A column per group (and the total); comparing: both periods under each group."""
        if not self.b.compares:
            return tuple(Column(u.label, "num") for u in self.units), ()
        periods = self.b.periods()
        cols = tuple(Column(p, "num") for _u in self.units for p in periods)
        return cols, tuple(Span(u.label, len(periods)) for u in self.units)

    def row(self, label: str, get: Get, fmt: str) -> Row:
        values = [v for u in self.units for v in self.b.values(u, lambda g: kf(g, get))]
        return line(label, values, fmt=fmt)

    def rows(self, parts: Iterable[tuple[str, list[Row]]]) -> tuple[Row, ...]:
        return sections(parts) if self.has_data else ()

    def table(
        self, key: str, title: str, parts: Iterable[tuple[str, list[Row]]], **text: str
    ) -> Table:
        cols, spans = self.columns()
        return Table(
            key=key,
            number="",
            title=title,
            chapter="catalogue",
            row_label=_("Key figure"),
            columns=cols,
            rows=self.rows(parts),
            spans=spans,
            sheet=_("Key-figure catalogue"),
            **text,
        )

    def period_text(self) -> str:
        if self.b.compares:
            return _("%(before)s and %(after)s, by %(group_by)s.") % {
                "before": self.b.before_label,
                "after": self.b.after_label,
                "group_by": self.b.group_by_text(),
            }
        return _("%(period)s, by %(group_by)s.") % {
            "period": self.b.after_label,
            "group_by": self.b.group_by_text(),
        }

    # -- the tables

    def tables(self) -> list[Table]:
        return [self.placements(), self.endings(), self.prevention()]

    def kind(self, key: str, new: str) -> list[Row]:
        def kind(k: Catalogue) -> KindFigures:
            return k.kind(key)

        new_label = (
            _("New placements (children)") if new == "placement" else _("New measures (children)")
        )
        rows = [
            self.row(_("Children"), lambda k: kind(k).children, "int"),
            self.row(_("Full-year children (årsbørn)"), lambda k: kind(k).aarsboern, "dec2"),
            self.row(new_label, lambda k: kind(k).new, "int"),
            self.row(_("Episodes started (a move counts)"), lambda k: kind(k).started, "int"),
        ]
        if key == "home_based":
            for part, children, aarsboern in (
                (
                    "with_placement_type",
                    _("Children in a home-based placement"),
                    _("Full-year children in a home-based placement"),
                ),
                (
                    "without_placement_type",
                    _("Children with a measure without placement"),
                    _("Full-year children with a measure without placement"),
                ),
            ):
                share: Callable[[Catalogue], Share] = (
                    (lambda k: k.home_based.with_placement_type)
                    if part == "with_placement_type"
                    else (lambda k: k.home_based.without_placement_type)
                )
                rows.append(self.row(children, _then(share, lambda x: x.children), "int"))
                rows.append(self.row(aarsboern, _then(share, lambda x: x.aarsboern), "dec2"))
        return rows

    def placements(self) -> Table:
        return self.table(
            "catalogue-placements",
            _("Placements and measures"),
            [(str(heading), self.kind(key, new)) for key, heading, new in KINDS],
            caption=_(
                "Children and full-year children on each kind of measure, new placements or "
                "measures (a move between two places within 31 days is not new) and episodes "
                "started. %(period)s"
            )
            % {"period": self.period_text()},
            note=_(
                "The data have no column for the legal paragraph: the preventive measures of "
                "section 11(3) (since 2024 section 32 of the Children's Act) are the measures on "
                "step 1 (prevention)."
            ),
        )

    def endings(self) -> Table:
        duration = [
            self.row(
                _("Institution stays ended"),
                lambda k: k.institution_duration.ended,
                "int",
            ),
            self.row(
                _("Average duration (days)"),
                lambda k: k.institution_duration.mean_days,
                "dec2",
            ),
            self.row(
                _("Median duration (days)"),
                lambda k: k.institution_duration.median_days,
                "dec2",
            ),
        ]
        formerly = [
            self.row(
                _("Children whose institution stay ended"),
                lambda k: k.formerly_institution.children,
                "int",
            )
        ]
        for step in NEXT_STEPS:
            formerly.append(
                self.row(
                    _("Next: %(step)s") % {"step": STEP_LABELS[step]},
                    _key(lambda k: k.formerly_institution.next_step, step),
                    "int",
                )
            )
        formerly.append(
            self.row(
                _("Next: no measure within 31 days"),
                lambda k: k.formerly_institution.next_step.get("none"),
                "int",
            )
        )
        movements = [
            self.row(
                _("Children moved up (to step 3, 4 or 5)"),
                lambda k: k.home_based_movements.up,
                "int",
            ),
            self.row(
                _("Children moved down (to step 1 or 0)"),
                lambda k: k.home_based_movements.down,
                "int",
            ),
            self.row(
                _("Children whose measures ended (no next measure)"),
                lambda k: k.home_based_movements.ended,
                "int",
            ),
        ]
        for step in MOVE_TARGETS:
            movements.append(
                self.row(
                    _("Moves to %(step)s") % {"step": STEP_LABELS[step]},
                    _key(lambda k: k.home_based_movements.moves, step),
                    "int",
                )
            )
        movements.append(
            self.row(
                _("Moves: ended without a next measure"),
                lambda k: k.home_based_movements.moves.get("none"),
                "int",
            )
        )
        return self.table(
            "catalogue-endings",
            _("Institution stays and home-based measures: endings and movements"),
            [
                (_("2 Duration of institution placements"), duration),
                (_("7 Formerly institution-placed children"), formerly),
                (_("8 Movements from home-based measures"), movements),
            ],
            caption=_(
                "How long the institution stays that ended lasted, where the children went next, "
                "and where children on home-based measures (step 2) moved. %(period)s"
            )
            % {"period": self.period_text()},
            note=_(
                "A stay's duration includes any part before the period. A child can move more "
                "than once: moves are counted, the rows above them count children."
            ),
        )

    def half_years(self) -> list[str]:
        keys = {
            str(key)
            for u in self.units
            for report in (u.before, u.after)
            if report is not None
            for key in report.key_figures.preventive_development
        }
        return sorted(keys)

    def prevention(self) -> Table:
        development = [
            self.row(
                half_year_label(key),
                _key(lambda k: k.preventive_development, key),
                "int",
            )
            for key in self.half_years()
        ]
        spending = [
            self.row(_("Preventive measures (kr.)"), lambda k: k.spending.preventive, "amount"),
            self.row(_("Placements (kr.)"), lambda k: k.spending.placements, "amount"),
        ]
        followups = [
            self.row(_("Follow-ups"), lambda k: k.followups.count, "int"),
            self.row(
                _("With a child conversation"),
                lambda k: k.followups.with_child_conversation,
                "int",
            ),
            self.row(
                _("Follow-ups per placed child"),
                lambda k: k.followups.per_placed_child,
                "dec2",
            ),
            self.row(
                _("Share with a child conversation"),
                lambda k: k.followups.share_with_child_conversation,
                "pct",
            ),
        ]
        return self.table(
            "catalogue-prevention",
            _("Preventive measures, spending and follow-ups"),
            [
                (_("9 Development in preventive measures (started per half-year)"), development),
                (_("10 Spending on preventive measures and placements"), spending),
                (_("11 Follow-ups"), followups),
            ],
            caption=_(
                "Preventive measures started in each half-year, spending on preventive measures "
                "(step 1 or 2 without a placement) and on placements, and the follow-ups held. "
                "%(period)s"
            )
            % {"period": self.period_text()},
            note=_("Amounts in kr. at current prices (the episodes' daily costs)."),
        )
