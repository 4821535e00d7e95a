"""SDQ coverage, before/after and the difference-in-differences, against hand-computed cases."""

import math
from datetime import date

import polars as pl
import pytest

from trappen.core import sdq
from trappen.core.dataset import SCHEMA, Dataset
from trappen.core.kpi import Period
from trappen.core.kpi import wellbeing as w

P2015 = Period.year(2015)
DIFFICULTY_ITEMS = [n for n in range(1, 26) if n not in sdq.SUBSCALE_ITEMS[sdq.Scale.PROSOCIAL]]


def answers(total: int) -> list[int | None]:
    """25 answers whose total difficulties is exactly `total`."""
    points = {n: 0 for n in range(1, 26)}
    left = total
    for n in DIFFICULTY_ITEMS:
        points[n] = min(2, left)
        left -= points[n]
    assert left == 0
    return [2 - points[n] if n in sdq.REVERSED_ITEMS else points[n] for n in range(1, 26)]


def dataset(children, measurements) -> Dataset:
    """children: (id, district); every child but those named 'X…' in care from 2014."""
    districts = pl.DataFrame(
        {"district": ["Nord", "Syd"], "group": ["Pilot", "Øvrige"], "team": ["T1", "T2"]}
    )
    kids = pl.DataFrame(
        {
            "child_id": [c for c, _ in children],
            "birth_date": [date(2006, 1, 1)] * len(children),
            "sex": ["female"] * len(children),
            "district": [d for _, d in children],
        }
    )
    in_care = [c for c, _ in children if not c.startswith("X")]
    episodes = pl.DataFrame(
        {
            "episode_id": [f"E{c}" for c in in_care],
            "child_id": in_care,
            "step": [2] * len(in_care),
            "intervention": ["Familiebehandling"] * len(in_care),
            "start_date": [date(2014, 1, 1)] * len(in_care),
            "daily_cost": [500.0] * len(in_care),
        }
    )
    rows = []
    for child, on, informant, total in measurements:
        items = answers(total) if isinstance(total, int) else total
        rows.append(
            {"child_id": child, "date": on, "informant": informant}
            | {f"item_{n}": a for n, a in enumerate(items, start=1)}
        )
    sdq_frame = pl.DataFrame(rows, schema={c.name: c.dtype for c in SCHEMA["sdq"][1:29]})
    return Dataset.from_frames(
        {"districts": districts, "children": kids, "episodes": episodes, "sdq": sdq_frame}
    )


FIRST, LATER = date(2014, 2, 1), date(2015, 6, 1)
CHILDREN = [("P1", "Nord"), ("P2", "Nord"), ("P3", "Nord"), ("P4", "Nord"), ("P5", "Nord"),
            ("C1", "Syd"), ("C2", "Syd"), ("X1", "Nord")]  # fmt: skip
MEASUREMENTS = [
    ("P1", FIRST, "teacher", 20), ("P1", LATER, "teacher", 14),
    ("P2", FIRST, "teacher", 18), ("P2", date(2015, 1, 10), "teacher", 30),
    ("P2", LATER, "teacher", 15),  # the latest in the period counts, not the one between
    ("P3", FIRST, "teacher", 16), ("P3", LATER, "teacher", 16),
    ("P4", FIRST, "teacher", 12), ("P4", date(2016, 3, 1), "teacher", 2),  # later: after 2015
    ("P5", LATER, "teacher", [None] * 25),  # nothing answered: no total, not a measurement
    ("C1", FIRST, "teacher", 15), ("C1", LATER, "teacher", 15),
    ("C2", FIRST, "teacher", 14), ("C2", LATER, "teacher", 16),
    ("X1", FIRST, "teacher", 30), ("X1", LATER, "teacher", 10),  # not in care
]  # fmt: skip


@pytest.fixture
def figures() -> w.SdqFigures:
    return w.evaluate(
        dataset(CHILDREN, MEASUREMENTS), P2015, group_by="group", treated="Pilot", control="Øvrige"
    )


def by(rows, group, informant):
    return next(r for r in rows if r.group == group and r.informant == informant)


def test_coverage_counts_children_in_care_with_a_first_and_a_later_sdq(figures):
    pilot = by(figures.coverage, "Pilot", "teacher")
    assert (pilot.in_care, pilot.measured, pilot.paired) == (5, 4, 3)
    assert pilot.share_paired == pytest.approx(0.6)
    control = by(figures.coverage, "Øvrige", "teacher")
    assert (control.in_care, control.measured, control.paired) == (2, 2, 2)
    parent = by(figures.coverage, "Pilot", "parent")
    assert (parent.in_care, parent.measured, parent.paired, parent.share_paired) == (5, 0, 0, 0)


def test_before_after_by_hand(figures):
    # Changes −6, −3, 0: mean −3, sd 3, d_z −1; t = −3 / (3 / √3) = −√3 on 2 degrees of
    # freedom, p = 1 − √(3/5) (the t(2) distribution function is 1/2 + t / (2√(2 + t²)));
    # Wilcoxon on −6, −3 (the 0 dropped): W = 0, exact p = 2 · 1/4.
    b = by(figures.before_after, "Pilot", "teacher")
    assert b.n == 3 and b.missing == 2
    assert b.mean_before == pytest.approx(18) and b.mean_after == pytest.approx(15)
    assert b.mean_change == pytest.approx(-3)
    assert b.sd_change == pytest.approx(3)
    assert b.effect_size == pytest.approx(-1)
    assert b.t_test.p_value == pytest.approx(1 - math.sqrt(3 / 5))
    assert b.wilcoxon.p_value == pytest.approx(0.5)


def test_difference_in_differences_by_hand(figures):
    # Pilot changes −6, −3, 0 (mean −3, variance 9); Øvrige 0, +2 (mean 1, variance 2):
    # DiD −4, standard error √(9/3 + 2/2) = 2, Welch's df = 16 / (9/2 + 1/1) = 32/11.
    d = next(x for x in figures.did if x.informant == "teacher")
    assert (d.treated_n, d.control_n) == (3, 2)
    assert d.estimate.value == pytest.approx(-4)
    from scipy import stats

    q = stats.t.ppf(0.975, 32 / 11)
    assert d.estimate.low == pytest.approx(-4 - 2 * q)
    assert d.estimate.high == pytest.approx(-4 + 2 * q)
    assert d.estimate.p_value == pytest.approx(2 * stats.t.sf(2, 32 / 11))


def test_no_pairs_gives_reasons_not_numbers(figures):
    parent = next(x for x in figures.did if x.informant == "parent")
    assert parent.estimate.value is None and parent.estimate.reason
    b = by(figures.before_after, "Pilot", "parent")
    assert b.n == 0 and b.t_test.p_value is None and b.missing == 5


def test_without_groups_to_compare_there_is_no_did():
    f = w.evaluate(dataset(CHILDREN, MEASUREMENTS), P2015, group_by="district")
    assert f.did == ()
    assert by(f.coverage, "Nord", "teacher").paired == 3


def test_an_empty_dataset_is_empty():
    f = w.evaluate(dataset([], []), P2015)
    assert f.is_empty and f.as_dict()["coverage"] == []


# -- goal attainment and the child's own rating per group and half-year (F9 point 5)

GOAL_RATINGS = [  # (child, goal line, date, rating)
    ("P1", "g1", date(2014, 12, 1), -2),  # before the period: not counted
    ("P1", "g1", date(2015, 2, 1), -1), ("P1", "g1", date(2015, 5, 1), 0),
    ("P1", "g2", date(2015, 5, 1), 2),
    ("P2", "g3", date(2015, 3, 1), -2),
    ("P1", "g1", date(2015, 9, 1), 1),
    ("C1", "g4", date(2015, 8, 1), 0), ("C1", "g4", date(2015, 11, 1), -1),
    ("X1", "g5", date(2015, 6, 30), 2),  # not in care, still rated: its district's group
]  # fmt: skip
CHILD_RATINGS = [  # (child, date, rating)
    ("P1", date(2015, 2, 1), 4), ("P2", date(2015, 3, 1), 7),
    ("C1", date(2015, 4, 1), 6),  # Øvrige H1: a child's rating, no goal rated
    ("P1", date(2016, 1, 10), 9),  # after the period
]  # fmt: skip


def rated(group_by: str = "group") -> w.SdqFigures:
    base = dataset(CHILDREN, MEASUREMENTS)
    goals = pl.DataFrame(
        {
            "rating_id": [f"r{i}" for i in range(len(GOAL_RATINGS))],
            "child_id": [c for c, *_ in GOAL_RATINGS],
            "followup_id": [f"f{i}" for i in range(len(GOAL_RATINGS))],
            "goal": [g for _, g, *_ in GOAL_RATINGS],
            "date": [d for *_, d, _ in GOAL_RATINGS],
            "rating": [r for *_, r in GOAL_RATINGS],
        },
        schema_overrides={"rating": pl.Int8},
    )
    own = pl.DataFrame(
        {
            "followup_id": [f"o{i}" for i in range(len(CHILD_RATINGS))],
            "child_id": [c for c, _, _ in CHILD_RATINGS],
            "date": [d for _, d, _ in CHILD_RATINGS],
            "rating": [r for _, _, r in CHILD_RATINGS],
        },
        schema_overrides={"rating": pl.Int8},
    )
    ds = Dataset(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                    "goal_ratings": goals, "child_ratings": own})  # fmt: skip
    return w.evaluate(ds, P2015, group_by=group_by)


def test_goal_attainment_per_group_and_half_year_by_hand():
    rows = {(g.group, str(g.half_year)): g for g in rated().goal_attainment}
    assert list(rows) == [("Pilot", "2015 H1"), ("Pilot", "2015 H2"),
                          ("Øvrige", "2015 H1"), ("Øvrige", "2015 H2")]  # fmt: skip
    h1 = rows[("Pilot", "2015 H1")]
    # −1, 0, +2 (P1) and −2 (P2), and X1's +2 on 30 June: five ratings of four goals by three
    # children; mean 1/5, three of five at 0 or above. The children's own: 4 and 7.
    assert (h1.ratings, h1.goals, h1.children) == (5, 4, 3)
    assert h1.mean == pytest.approx(0.2)
    assert h1.share_expected == pytest.approx(0.6)
    assert (h1.child_n, h1.child_mean) == (2, pytest.approx(5.5))
    h2 = rows[("Pilot", "2015 H2")]
    assert (h2.ratings, h2.goals, h2.mean, h2.share_expected, h2.child_n) == (1, 1, 1, 1, 0)
    assert h2.child_mean is None
    others_h1 = rows[("Øvrige", "2015 H1")]
    assert (others_h1.ratings, others_h1.mean, others_h1.share_expected) == (0, None, None)
    assert (others_h1.child_n, others_h1.child_mean) == (1, 6)
    others_h2 = rows[("Øvrige", "2015 H2")]
    assert (others_h2.ratings, others_h2.goals, others_h2.children) == (2, 1, 1)
    assert others_h2.mean == pytest.approx(-0.5) and others_h2.share_expected == 0.5


def test_goal_attainment_for_the_whole_municipality_and_in_the_json():
    figures = rated("all")
    assert [(g.group, str(g.half_year), g.ratings) for g in figures.goal_attainment] == [
        ("all", "2015 H1", 5),
        ("all", "2015 H2", 3),
    ]
    data = figures.as_dict()["goal_attainment"]
    assert data[0]["half_year"] == "2015 H1" and data[0]["child_n"] == 3


def test_no_goal_rating_gives_no_row():
    assert w.evaluate(dataset(CHILDREN, MEASUREMENTS), P2015).goal_attainment == ()


def test_coverage_counts_only_the_children_the_informants_questionnaire_is_for():
    # All born 2006 (9 in 2015), but Y1 born 2013 (1-2 in 2015: too young for any SDQ) and
    # Y2 born 2003 (11-12: of age for a self-report too).
    base = dataset(CHILDREN + [("Y1", "Nord"), ("Y2", "Nord")], MEASUREMENTS)
    born = {"Y1": date(2013, 6, 1), "Y2": date(2003, 12, 15)}
    children = base.children.with_columns(
        pl.col("child_id").replace_strict(born, default=pl.col("birth_date")).alias("birth_date")
    )
    ds = Dataset(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                    "children": children})  # fmt: skip
    figures = w.evaluate(ds, P2015)
    # Pilot: P1-P5 and Y2 for the parent and teacher (Y1 is too young); only Y2 for self.
    assert by(figures.coverage, "Pilot", "teacher").in_care == 6
    assert by(figures.coverage, "Pilot", "self").in_care == 1
    assert by(figures.before_after, "Pilot", "teacher").missing == 3
