"""The quality data of core/data/quality.json: which outcomes fit which kind of complaint, the
handover reasons and the team's caseload target (each with its source in the file)."""

from functools import cache
from typing import Any

from trappen.core import ruledata


@cache
def data() -> dict[str, Any]:
    return ruledata.load("quality.json")


def complaint_outcomes() -> dict[str, list[str]]:
    """Kind → the outcomes a complaint of that kind can have."""
    return {kind: list(row["outcomes"]) for kind, row in data()["complaints"].items()}


def rulings() -> dict[str, Any]:
    """Ankestyrelsen's rulings on a complaint sent on to it: the terms, which are reviewed on
    the merits (realitetsbehandlet) and which overturn the decision (omgjort), and the outcome
    they follow."""
    row = data()["ankestyrelsen_rulings"]
    return {
        "rulings": list(row["rulings"]),
        "reviewed": list(row["reviewed_on_the_merits"]),
        "overturned": list(row["overturned"]),
        "for_outcome": str(row["for_outcome"]),
    }


def caseload_target() -> int:
    """The team's average caseload at most (the seed's "i gennemsnit maksimalt 25 sager")."""
    return int(data()["caseload"]["average_at_most"])
