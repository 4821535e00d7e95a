"""Small hand-made datasets for the key-figure tests: rows as tuples, defaults filled in."""

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from trappen.core.dataset import Dataset


def d(text: str) -> date:
    return date.fromisoformat(text)


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def dataset(
    *,
    districts: Sequence[tuple[str, str]] = (),
    children: Sequence[tuple[str, str | None]] = (),
    cases: Sequence[tuple[Any, ...]] = (),
    episodes: Sequence[dict[str, Any]] = (),
    followups: Sequence[tuple[str, str, str] | tuple[str, str, str, bool]] = (),
    complaints: Sequence[tuple[str, str, str]] = (),
) -> Dataset:
    """districts (district, group); children (child_id, district); cases (child_id, team,
    opened, closed[, caseworker]); episodes: dicts with child_id, step, start and optionally
    end, placement_type, end_reason, daily_cost, episode_id; followups (episode_id, child_id,
    date); complaints (child_id, team, date). Dates as ISO strings; ids are made up."""
    frames = {
        "districts": _frame([{"district": x, "group": g} for x, g in districts]),
        "children": _frame(
            [
                {"child_id": c, "birth_date": d("2005-01-01"), "sex": "female", "district": x}
                for c, x in children
            ]
        ),
        "cases": _frame(
            [
                {
                    "case_id": f"k{i}",
                    "child_id": row[0],
                    "team": row[1],
                    "opened": d(row[2]),
                    "closed": d(row[3]) if row[3] else None,
                    "caseworker": row[4] if len(row) > 4 else None,
                }
                for i, row in enumerate(cases)
            ]
        ),
        "episodes": _frame(
            [
                {
                    "episode_id": e.get("episode_id", f"e{i}"),
                    "child_id": e["child_id"],
                    "step": e["step"],
                    "placement_type": e.get("placement_type"),
                    "intervention": "x",
                    "start_date": d(e["start"]),
                    "end_date": d(e["end"]) if e.get("end") else None,
                    "end_reason": e.get("end_reason"),
                    "daily_cost": float(e.get("daily_cost", 0.0)),
                }
                for i, e in enumerate(episodes)
            ]
        ),
        "followups": _frame(
            [
                {
                    "followup_id": f"f{i}",
                    "episode_id": e,
                    "child_id": c,
                    "date": d(x),
                    "child_conversation": bool(talk and talk[0]),
                }
                for i, (e, c, x, *talk) in enumerate(followups)
            ]
        ),
        "complaints": _frame(
            [
                {"complaint_id": f"q{i}", "child_id": c, "team": t, "date": d(x)}
                for i, (c, t, x) in enumerate(complaints)
            ]
        ),
    }
    return Dataset.from_frames({k: v for k, v in frames.items() if v.width})
