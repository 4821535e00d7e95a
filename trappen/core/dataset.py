"""The case-level dataset every key figure is computed from: six columnar tables, and the SDQs.

The tables and columns are those of the CSV interchange format (docs/interchange.md), so a
dataset read from a folder of CSV files and one built from the database are the same thing.
Ids are strings; dates are `pl.Date`; an empty optional cell is null.

Conventions every consumer relies on:
- An episode is active from `start_date` up to, **not including**, `end_date` (null: running),
  as in `core.staircase`. A case is open from `opened` up to, not including, `closed`.
- A period is a closed range of calendar days `[start, end]` (`kpi` code takes `Period`).

The seventh file of the interchange format, `sdq` (optional, like `followups` and
`complaints`), holds the children's SDQ measurements (docs/wellbeing.md); a Dataset made
without it has an empty one.

Besides the tables of the interchange format, the database gives the steering two more
(`EXTRA_SCHEMA`, not in the CSV files; empty when the data come from a folder): the
notifications with their 24-hour assessment, the professions' activities, and the goal
ratings and the child's own ratings at the follow-ups.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum

import polars as pl

from trappen.core.staircase import PlacementType


class EndReason(StrEnum):
    PLANNED = "planned"
    BREAKDOWN = "breakdown"
    AFTERCARE_18 = "aftercare_18"
    MOVED = "moved"
    OTHER = "other"


# Placement types by category, as in the KORA evaluation (KORA 2017, tables 2.2, 2.3 and 4.1).
INSTITUTION_TYPES = (
    PlacementType.RESIDENTIAL_INSTITUTION,
    PlacementType.SOCIO_PEDAGOGICAL,
    PlacementType.SECURE_INSTITUTION,
)
FAMILY_CARE_TYPES = (
    PlacementType.FOSTER_ORDINARY,
    PlacementType.FOSTER_NETWORK,
    PlacementType.FOSTER_SPECIAL,
)
HOME_BASED_TYPES = (PlacementType.HOME_BASED,)
CATEGORIES: Mapping[str, tuple[PlacementType, ...]] = {
    "institution": INSTITUTION_TYPES,
    "family_care": FAMILY_CARE_TYPES,
    "home_based": HOME_BASED_TYPES,
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType]
    required: bool = True  # False: the cell may be empty (null)
    in_every_file: bool = True  # False: the whole column may be missing from a file


# The impact supplement's columns (trappen.core.sdq.IMPACT_ITEMS; "difficulties" is the opening
# question, 0 no, 1-3 yes).
SDQ_IMPACT_NAMES = (
    "difficulties",
    "distress",
    "home",
    "friendships",
    "learning",
    "leisure",
    "peers",
)
SDQ_ITEM_COLUMNS = tuple(f"item_{n}" for n in range(1, 26))


def _c(name: str, dtype: type[pl.DataType], **kw: bool) -> Column:
    return Column(name, dtype, **kw)


# File name (without .csv) → columns in file order. The first column is the row's unique id.
SCHEMA: dict[str, tuple[Column, ...]] = {
    "districts": (
        _c("district", pl.String),
        _c("group", pl.String),
        _c("team", pl.String, required=False, in_every_file=False),
    ),
    "children": (
        _c("child_id", pl.String),
        _c("birth_date", pl.Date),
        _c("sex", pl.String),
        _c("district", pl.String),
    ),
    "cases": (
        _c("case_id", pl.String),
        _c("child_id", pl.String),
        _c("team", pl.String),
        _c("opened", pl.Date),
        _c("closed", pl.Date, required=False),
        _c("caseworker", pl.String, required=False, in_every_file=False),
    ),
    "episodes": (
        _c("episode_id", pl.String),
        _c("child_id", pl.String),
        _c("step", pl.Int8),
        _c("placement_type", pl.String, required=False),
        _c("intervention", pl.String),
        _c("start_date", pl.Date),
        _c("end_date", pl.Date, required=False),
        _c("end_reason", pl.String, required=False),
        _c("daily_cost", pl.Float64),
    ),
    "followups": (
        _c("followup_id", pl.String),
        _c("child_id", pl.String),
        _c("episode_id", pl.String),
        _c("date", pl.Date),
        _c("child_conversation", pl.Boolean),
    ),
    "complaints": (
        _c("complaint_id", pl.String),
        _c("child_id", pl.String),
        _c("team", pl.String),
        _c("date", pl.Date),
    ),
    # SDQ measurements (docs/wellbeing.md): the 25 answers 0-2 and the impact supplement 0-3,
    # empty when unanswered. The id is optional: the file may leave it out.
    "sdq": (
        _c("sdq_id", pl.String, required=False, in_every_file=False),
        _c("child_id", pl.String),
        _c("date", pl.Date),
        _c("informant", pl.String),
        *(_c(f"item_{n}", pl.Int8, required=False) for n in range(1, 26)),
        *(
            _c(f"impact_{name}", pl.Int8, required=False, in_every_file=False)
            for name in SDQ_IMPACT_NAMES
        ),
    ),
}


# The database's tables for the steering beyond the interchange format. Times are UTC, naive.
EXTRA_SCHEMA: dict[str, tuple[Column, ...]] = {
    "notifications": (
        _c("notification_id", pl.String),
        _c("child_id", pl.String),
        _c("received", pl.Date),  # the local day it was received
        _c("received_at", pl.Datetime),
        _c("deadline", pl.Datetime),  # of the 24-hour assessment (Barnets Lov § 136)
        _c("assessed_at", pl.Datetime, required=False),  # null: not assessed
    ),
    "activities": (
        _c("activity_id", pl.String),
        _c("child_id", pl.String),
        _c("kind", pl.String),  # activities.Activity.Kind
        _c("date", pl.Date),
    ),
    # Goal attainment at the follow-ups (docs/wellbeing.md): each SMART goal rated −2 … +2;
    # `goal` is the goal's line, the same through the plan's revisions.
    "goal_ratings": (
        _c("rating_id", pl.String),
        _c("child_id", pl.String),
        _c("followup_id", pl.String),
        _c("goal", pl.String),
        _c("date", pl.Date),
        _c("rating", pl.Int8),
    ),
    # The child's own rating of how things are (1-10) at a follow-up's child conversation.
    "child_ratings": (
        _c("followup_id", pl.String),
        _c("child_id", pl.String),
        _c("date", pl.Date),
        _c("rating", pl.Int8),
    ),
}


def polars_schema(table: str) -> dict[str, type[pl.DataType]]:
    return {c.name: c.dtype for c in {**SCHEMA, **EXTRA_SCHEMA}[table]}


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


@dataclass(frozen=True)
class Dataset:
    """One municipality's case-level data; every frame has exactly the SCHEMA columns."""

    districts: pl.DataFrame
    children: pl.DataFrame
    cases: pl.DataFrame
    episodes: pl.DataFrame
    followups: pl.DataFrame
    complaints: pl.DataFrame
    sdq: pl.DataFrame = field(default_factory=lambda: empty("sdq"))
    notifications: pl.DataFrame = field(default_factory=lambda: empty("notifications"))
    activities: pl.DataFrame = field(default_factory=lambda: empty("activities"))
    goal_ratings: pl.DataFrame = field(default_factory=lambda: empty("goal_ratings"))
    child_ratings: pl.DataFrame = field(default_factory=lambda: empty("child_ratings"))

    def __post_init__(self) -> None:
        for f in fields(self):
            frame: pl.DataFrame = getattr(self, f.name)
            want = polars_schema(f.name)
            if dict(frame.schema) != {k: v() for k, v in want.items()}:
                raise ValueError(f"{f.name}: columns {dict(frame.schema)} != {want}")

    @classmethod
    def from_frames(cls, frames: Mapping[str, pl.DataFrame]) -> "Dataset":
        """Build from frames that may lack optional columns; they are added as nulls, cast."""
        out: dict[str, pl.DataFrame] = {}
        for table, columns in SCHEMA.items():
            frame = frames.get(table, empty(table))
            out[table] = frame.select(
                (pl.col(c.name) if c.name in frame.columns else pl.lit(None))
                .cast(c.dtype)
                .alias(c.name)
                for c in columns
            )
        return cls(**out)
