"""The published numbers the demo's history is calibrated to, and the periods they refer to.

The numbers are KORA's final evaluation of Herning's pilot (KORA 2017), copied into
`trappen/demo/data/kora_tables.json`. The report names its periods loosely; this is how trappen
reads them (docs/evaluation-periods.md says why):

- "medio 2013" = the first half of 2013, 1 January-30 June. The pilot team started in August
  2013, so this is the last half-year before it. It is not calendar 2013: table 2.6's note shows
  that the årsbørn implied by the 2013 accounts differ from the "medio 2013" column.
- "ultimo 2015" and "2015" = calendar 2015 (the tables' note: a child placed six months of 2015
  counts 0.5 in the column "ultimo 2015").
- "2013", "2014" = the calendar years (accounts, breakdowns, complaints).
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from trappen.core.dataset import CATEGORIES
from trappen.core.staircase import PlacementType

MEDIO_2013 = (date(2013, 1, 1), date(2013, 6, 30))
YEAR_2013 = (date(2013, 1, 1), date(2013, 12, 31))
YEAR_2014 = (date(2014, 1, 1), date(2014, 12, 31))
ULTIMO_2015 = YEAR_2015 = (date(2015, 1, 1), date(2015, 12, 31))
PILOT_START = date(2013, 8, 1)

# The report's groups and the demo municipality's district groups.
GROUPS = {"pilot": "Pilot", "other": "Øvrige"}
# Table 3.2's teams (complaints) and the historical teams of the demo municipality.
TEAMS = {
    "pilot": "Sverigesteamet",
    "other_children_team": "Børneteamet",
    "other_youth_team": "Ungeteamet",
    "other_reception": "Modtagelsen",
}
TYPES = [t.value for t in PlacementType]
CATEGORY_OF = {t.value: c for c, types in CATEGORIES.items() for t in types}


@cache
def tables() -> dict[str, Any]:
    text = resources.files("trappen.demo").joinpath("data/kora_tables.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class Aarsboern:
    """Published placed årsbørn of one group and period: by type, category and in total,
    and each type's and category's share of all placed (all rounded as published)."""

    by_type: dict[str, float]
    share: dict[str, float]  # by type and by category
    by_category: dict[str, float]
    total: float


def aarsboern(group: str, column: str) -> Aarsboern:
    """column: "medio_2013" or "ultimo_2015"."""
    t = tables()
    inst = t["table_2_2_institution_aarsboern"][group]
    fam = t["table_2_3_family_care_aarsboern"][group]
    home = t["table_4_1_home_based_placement_aarsboern"][group]
    by_type = {k: v[column] for k, v in {**inst, **fam}.items() if not k.endswith("_total")}
    by_type["home_based"] = home[column]
    share_key = f"share_{column}"
    share = {k: v[share_key] for k, v in {**inst, **fam}.items() if not k.endswith("_total")}
    share["home_based"] = home[share_key]
    share["institution"] = inst["institution_total"][share_key]
    share["family_care"] = fam["family_care_total"][share_key]
    by_category = {
        "institution": inst["institution_total"][column],
        "family_care": fam["family_care_total"][column],
        "home_based": home[column],
    }
    total = t["table_2_1_placed_aarsboern"][group][column]
    return Aarsboern(by_type, share, by_category, total)


def spending(group: str, year: int) -> dict[str, int]:
    """Table 2.5: spending in 1,000 kr. (2013 prices) by category and "total"."""
    return dict(tables()["table_2_5_spending_on_placements"][group][str(year)])


def unit_cost(group: str, year: int) -> dict[str, int]:
    """Table 2.6: kr. per årsbarn (2013 prices) by category and "total"."""
    return dict(tables()["table_2_6_unit_cost_per_aarsbarn_kr"][group][str(year)])


def breakdowns(group: str, year: int) -> tuple[int, float]:
    """Table 3.1: (count, % of placed årsbørn)."""
    row = tables()["table_3_1_breakdowns"][group][str(year)]
    return row["count"], row["pct_of_placed_aarsboern"]


def complaints(team_key: str, year: int) -> tuple[int, float]:
    """Table 3.2: (count, % of cases)."""
    row = tables()["table_3_2_complaints"][team_key][str(year)]
    return row["count"], row["pct_of_cases"]
