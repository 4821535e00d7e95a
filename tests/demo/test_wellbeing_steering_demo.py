"""The demo's wellbeing in the steering (F9 point 7): `make demo`'s municipality shows SDQ
coverage and change, the difference-in-differences and goal attainment for the pilot and the
other districts."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_steering_shows_coverage_change_and_goals_for_pilot_and_others():
    call_command("demo", "--children", "300", "--yes", "--no-history", stdout=StringIO())
    today = timezone.localdate()
    start = today.replace(year=today.year - 2, month=1, day=1)  # three years
    out = StringIO()
    end = today - timedelta(days=1)
    call_command(
        "evaluate", "db", "--from", start.isoformat(), "--to", end.isoformat(),
        "--treated", "Pilot", "--control", "Øvrige", "--compare-from",
        start.replace(year=start.year - 1).isoformat(), "--compare-to",
        (start - timedelta(days=1)).isoformat(), "--json", stdout=out,
    )  # fmt: skip
    wellbeing = json.loads(out.getvalue())["wellbeing"]
    for group in ("Pilot", "Øvrige"):
        for informant in ("parent", "teacher"):
            cover = next(
                c for c in wellbeing["coverage"]
                if c["group"] == group and c["informant"] == informant
            )  # fmt: skip
            # Most children in care of the questionnaire's age (4-17) have an SDQ, and some a
            # first and a later one.
            assert 2 * cover["measured"] > cover["in_care"] > 0, (group, informant, cover)
            assert cover["paired"] > 0, (group, informant, cover)
            change = next(
                b for b in wellbeing["before_after"]
                if b["group"] == group and b["informant"] == informant
            )  # fmt: skip
            assert change["n"] == cover["paired"] and change["mean_change"] is not None
        goals = [g for g in wellbeing["goal_attainment"] if g["group"] == group]
        assert goals and sum(g["ratings"] for g in goals) > 0
        assert {g["half_year"][-2:] for g in goals} <= {"H1", "H2"}
    did = {d["informant"]: d for d in wellbeing["did"]}
    assert did["parent"]["estimate"]["value"] is not None
    assert did["teacher"]["estimate"]["value"] is not None
