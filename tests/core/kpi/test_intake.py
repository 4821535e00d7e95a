"""The notifications' figures: the 24-hour assessment by its deadline and the days from the
notification to the child's first measure; the activities per half-year and district group."""

from datetime import date, datetime

import polars as pl

from tests.core.kpi.build import dataset
from trappen.core.dataset import Dataset, polars_schema
from trappen.core.kpi import Period, evaluate

Y2014 = Period.year(2014)


def with_notes(ds: Dataset, notes, activities=()) -> Dataset:
    frames = {t: getattr(ds, t) for t in ("districts", "children", "cases", "episodes")}
    frames |= {"followups": ds.followups, "complaints": ds.complaints}
    schema = polars_schema("notifications")
    rows = [
        (f"n{i}", child, received.date(), received, deadline, assessed)
        for i, (child, received, deadline, assessed) in enumerate(notes)
    ]
    acts = [(f"a{i}", child, kind, day) for i, (child, kind, day) in enumerate(activities)]
    return Dataset(
        **frames,
        notifications=pl.DataFrame(rows, schema=schema, orient="row"),
        activities=pl.DataFrame(acts, schema=polars_schema("activities"), orient="row"),
    )


BASE = dataset(
    districts=[("a", "pilot"), ("b", "other")],
    children=[("c1", "a"), ("c2", "b")],
    cases=[("c1", "t1", "2014-01-01", None, "w1"), ("c2", "t2", "2014-01-01", None, "w2")],
    episodes=[
        {"episode_id": "e1", "child_id": "c1", "step": 1, "start": "2014-03-11"},
        {"episode_id": "e2", "child_id": "c1", "step": 2, "start": "2014-01-05"},  # before
        {"episode_id": "e3", "child_id": "c2", "step": 1, "start": "2014-02-01"},
    ],
)
DS = with_notes(
    BASE,
    [
        # received 1 March, assessed within its deadline; first measure 11 March: 10 days
        ("c1", datetime(2014, 3, 1, 9), datetime(2014, 3, 2, 9), datetime(2014, 3, 2, 8)),
        # assessed late; no measure after 1 June
        ("c1", datetime(2014, 6, 1, 9), datetime(2014, 6, 2, 9), datetime(2014, 6, 3, 9)),
        # not assessed; the same day as its measure: 0 days
        ("c2", datetime(2014, 2, 1, 9), datetime(2014, 2, 2, 9), None),
        # before the period: not counted
        ("c2", datetime(2013, 12, 1, 9), datetime(2013, 12, 2, 9), datetime(2013, 12, 1, 10)),
    ],
    [("c1", "needs_visit", date(2014, 2, 1)), ("c1", "needs_visit", date(2014, 8, 1))]
    + [("c2", "family_centre", date(2014, 2, 1)), ("c2", "family_centre", date(2015, 1, 1))],
)


def test_assessments_in_time_and_days_to_the_first_measure():
    report = evaluate(DS, Y2014)
    total, pilot, other = (
        report.total.intake,
        report.groups["pilot"].intake,
        report.groups["other"].intake,
    )
    assert (total.received, total.assessed_in_time, total.with_measure) == (3, 1, 2)
    assert total.share_in_time == round(1 / 3, 6)
    assert (total.mean_days_to_measure, total.median_days_to_measure) == (5.0, 5.0)
    assert (pilot.received, pilot.assessed_in_time, pilot.with_measure) == (2, 1, 1)
    assert pilot.median_days_to_measure == 10.0
    assert (other.received, other.assessed_in_time, other.median_days_to_measure) == (1, 0, 0.0)
    assert report.as_dict()["intake"]["groups"]["pilot"]["received"] == 2


def test_by_team_a_notification_counts_in_the_team_of_the_childs_case():
    report = evaluate(DS, Y2014, group_by="team")
    assert report.groups["t1"].intake.received == 2
    assert report.groups["t2"].intake.received == 1


def test_no_notifications_no_figures():
    total = evaluate(BASE, Y2014).total.intake
    assert (total.received, total.with_measure, total.share_in_time) == (0, 0, None)
    assert total.median_days_to_measure is None


def test_activities_per_half_year_and_district_group():
    assert evaluate(DS, Y2014).activities == {
        "2014H1": {"other": {"family_centre": 1}, "pilot": {"needs_visit": 1}},
        "2014H2": {"pilot": {"needs_visit": 1}},
    }
