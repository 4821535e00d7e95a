"""The typed contract from `kpi` to the pages: what `evaluate()` gives, as frozen dataclasses.

The steering page, the workbook, the printable report, the API and `trappen evaluate` read these
attributes; a renamed figure is a type error, not a silently empty cell. `as_dict()` gives the
JSON of docs/kpi.md (what `trappen evaluate --json` prints and `compare()` reads), key for key.

Keys that are data rather than names stay mappings: placement types (`by_type`), half-years
("2014H1"), step dates (ISO), steps ("0"-"5", "under_clarification", "total"), moves ("5->4"),
caseworkers.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Generic, Literal, TypeVar

V = TypeVar("V")
JSON = dict[str, Any]

Category = Literal["institution", "family_care", "home_based"]
Kind = Literal["total", "institution", "family_care", "home_based"]


@dataclass(frozen=True)
class ByPlacement(Generic[V]):
    """One placement figure: for all placed, per category, and per placement type."""

    total: V
    institution: V
    family_care: V
    home_based: V
    by_type: Mapping[str, V]

    def of(self, kind: Kind | str) -> V:
        """The figure of one column of the placement tables ("total" or a category); an
        unknown name is a KeyError, never a silent None."""
        return {
            "total": self.total,
            "institution": self.institution,
            "family_care": self.family_care,
            "home_based": self.home_based,
        }[kind]


@dataclass(frozen=True)
class Breakdowns:
    count: int
    per_placed_aarsboern: float | None


@dataclass(frozen=True)
class Complaints:
    count: int
    cases: int  # cases open some day of the period
    open_cases: float | None  # open case-days ÷ days: cases open on average
    share: float | None  # complaints per case open on average


@dataclass(frozen=True)
class Movements:
    moves: Mapping[str, int]  # "5->4": moves from step 5 to 4
    down: int
    up: int


@dataclass(frozen=True)
class Caseload:
    date: str  # ISO: the period's last day
    by_caseworker: Mapping[str, int]
    mean: float | None
    max: int | None


# ---------------------------------------------------------------- the key-figure catalogue


@dataclass(frozen=True)
class Share:
    children: int
    aarsboern: float | None


@dataclass(frozen=True)
class KindFigures:
    """Children with an episode of the kind active some day, their årsbørn, children with a
    stay of the kind starting in the period, and episodes of the kind started."""

    children: int
    aarsboern: float | None
    new: int
    started: int


@dataclass(frozen=True)
class HomeBasedFigures(KindFigures):
    with_placement_type: Share
    without_placement_type: Share


@dataclass(frozen=True)
class Duration:
    ended: int
    mean_days: float | None
    median_days: float | None


@dataclass(frozen=True)
class Formerly:
    children: int
    next_step: Mapping[str, int]  # "5" … "0", "none"


@dataclass(frozen=True)
class HomeBasedMovements:
    up: int
    down: int
    ended: int
    moves: Mapping[str, int]  # "0", "1", "3", "4", "5", "none"


@dataclass(frozen=True)
class CatalogueSpending:
    preventive: float | None
    placements: float | None


@dataclass(frozen=True)
class CatalogueFollowups:
    count: int
    with_child_conversation: int
    per_placed_child: float | None
    share_with_child_conversation: float | None


@dataclass(frozen=True)
class KeyFigures:
    """Socialstyrelsen's catalogue of key figures for one group (docs/keyfigures.md)."""

    institution: KindFigures
    foster: KindFigures
    network: KindFigures
    home_based: HomeBasedFigures
    preventive: KindFigures
    institution_duration: Duration
    formerly_institution: Formerly
    home_based_movements: HomeBasedMovements
    preventive_development: Mapping[str, int]  # "2015H1": step-1 episodes started
    spending: CatalogueSpending
    followups: CatalogueFollowups

    def kind(self, name: str) -> KindFigures:
        """One kind's figures by its name ("institution", … "preventive"); KeyError else."""
        return {
            "home_based": self.home_based,
            "institution": self.institution,
            "foster": self.foster,
            "network": self.network,
            "preventive": self.preventive,
        }[name]

    def as_dict(self) -> JSON:
        return _plain(self)


# ---------------------------------------------------------------- notifications


@dataclass(frozen=True)
class Intake:
    """The notifications received in the period: their 24-hour assessment made by its deadline
    (Barnets Lov § 136), and the days from the notification to the child's first measure
    (the first episode starting on or after the day it was received)."""

    received: int
    assessed_in_time: int
    share_in_time: float | None  # assessed_in_time ÷ received
    with_measure: int  # notifications followed by a measure
    mean_days_to_measure: float | None
    median_days_to_measure: float | None


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class GroupFigures:
    """Every figure of one group (or of the total) in one period."""

    placed_aarsboern: ByPlacement[float | None]
    placed_children: ByPlacement[int]
    share_of_placed: ByPlacement[float | None]
    spending: ByPlacement[float | None]
    unit_cost: ByPlacement[float | None]
    breakdowns: Breakdowns
    complaints: Complaints
    # KORA's figure 2.2: follow-ups with a child conversation on measures with a follow-up duty.
    followups_per_case: Mapping[str, Mapping[str, float | None]]  # half-year → category
    # The broader count: every follow-up (phone and mail too) on every episode from step 1.
    followups_all_per_case: Mapping[str, Mapping[str, float | None]]
    step_counts: Mapping[str, Mapping[str, int]]  # ISO date → step key → children
    movements: Movements
    caseload: Caseload
    key_figures: KeyFigures
    intake: Intake  # in the JSON under the report's "intake", not here (docs/kpi.md)

    @property
    def is_empty(self) -> bool:
        """Nobody placed, no case open and nobody on the staircase."""
        on_stairs = any(counts.get("total") for counts in self.step_counts.values())
        return not self.placed_children.total and not self.complaints.cases and not on_stairs

    def as_dict(self) -> JSON:
        out = _plain(self)
        del out["intake"]
        return out


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date
    days: int


@dataclass(frozen=True)
class Report:
    """`evaluate()`: every figure for one period, per group of `group_by` and in total."""

    period: ReportPeriod
    group_by: str
    base_year: int | None  # fixed prices of this year; None: current prices
    groups: Mapping[str, GroupFigures]
    total: GroupFigures
    # Activities held in the period: half-year ("2014H1") → district group → kind → number.
    activities: Mapping[str, Mapping[str, Mapping[str, int]]]

    def as_dict(self) -> JSON:
        """The JSON of docs/kpi.md."""
        return {
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "days": self.period.days,
            },
            "group_by": self.group_by,
            "prices": None if self.base_year is None else {"base_year": self.base_year},
            "groups": {name: figures.as_dict() for name, figures in self.groups.items()},
            "total": self.total.as_dict(),
            "intake": {
                "groups": {name: _plain(g.intake) for name, g in self.groups.items()},
                "total": _plain(self.total.intake),
            },
            "activities": _value(self.activities),
        }


def _plain(value: Any) -> JSON:
    """A dataclass as plain dicts, mappings included (dataclasses.asdict copies dicts only)."""
    return asdict(value, dict_factory=lambda items: {k: _value(v) for k, v in items})


def _value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _value(v) for k, v in value.items()}
    return value
