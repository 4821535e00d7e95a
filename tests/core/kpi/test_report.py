"""evaluate(): every figure on small datasets computed by hand (the examples of docs/kpi.md)."""

import json

import pytest

from tests.core.kpi.build import d, dataset
from trappen.core.kpi import Period, evaluate, parse_price_index
from trappen.core.kpi.report import MOVE_KEYS

Y2014 = Period.year(2014)

# The worked example of docs/kpi.md: two children in two districts of two groups, 2014.
EXAMPLE = dataset(
    districts=[("a", "pilot"), ("b", "other")],
    children=[("c1", "a"), ("c2", "b"), ("c3", None)],
    cases=[
        ("c1", "t1", "2013-01-01", None, "w1"),
        ("c2", "t2", "2013-05-01", None, "w2"),
        ("c3", "t1", "2014-01-01", "2014-06-01", "w1"),
    ],
    episodes=[
        {
            "episode_id": "e1",
            "child_id": "c1",
            "step": 5,
            "placement_type": "residential_institution",
            "start": "2013-01-01",
            "end": "2014-04-01",
            "end_reason": "breakdown",
            "daily_cost": 1000,
        },
        {
            "episode_id": "e2",
            "child_id": "c1",
            "step": 4,
            "placement_type": "foster_ordinary",
            "start": "2014-04-20",
            "daily_cost": 500,
        },
        {
            "episode_id": "e3",
            "child_id": "c2",
            "step": 2,
            "start": "2013-06-01",
            "end": "2014-01-01",
        },
        {
            "episode_id": "e4",
            "child_id": "c2",
            "step": 3,
            "placement_type": "home_based",
            "start": "2014-03-01",
            "end": "2014-07-01",
            "daily_cost": 300,
        },
    ],
    followups=[
        ("e1", "c1", "2014-02-01"),
        ("e2", "c1", "2014-05-01"),
        ("e2", "c1", "2014-08-01"),
        ("e3", "c2", "2013-07-01"),
    ],
    complaints=[("c1", "t1", "2014-03-01")],
)


@pytest.fixture(scope="module")
def example():
    return evaluate(EXAMPLE, Y2014).as_dict()


def test_shape_and_json(example):
    assert example["period"] == {"from": "2014-01-01", "to": "2014-12-31", "days": 365}
    assert example["group_by"] == "group"
    assert example["prices"] is None
    assert list(example["groups"]) == ["other", "pilot", "unknown"]  # sorted
    assert json.loads(json.dumps(example)) == example  # str keys, plain values only
    keys = {
        "placed_aarsboern",
        "placed_children",
        "share_of_placed",
        "spending",
        "unit_cost",
        "breakdowns",
        "complaints",
        "followups_per_case",
        "followups_all_per_case",
        "step_counts",
        "movements",
        "caseload",
        "key_figures",
    }
    assert set(example["total"]) == keys
    for figures in example["groups"].values():
        assert set(figures) == keys


def test_aarsboern_and_spending(example):
    total = example["total"]
    # e1: 1 January – 31 March = 90 days; e2: 20 April – 31 December = 256; e4: March–June = 122
    assert total["placed_aarsboern"]["institution"] == round(90 / 365, 6)
    assert total["placed_aarsboern"]["family_care"] == round(256 / 365, 6)
    assert total["placed_aarsboern"]["home_based"] == round(122 / 365, 6)
    assert total["placed_aarsboern"]["total"] == round(468 / 365, 6)
    assert total["placed_aarsboern"]["by_type"]["foster_ordinary"] == round(256 / 365, 6)
    assert total["placed_aarsboern"]["by_type"]["secure_institution"] == 0.0
    assert total["placed_children"] == {
        "total": 2,
        "institution": 1,
        "family_care": 1,
        "home_based": 1,
        "by_type": {
            "residential_institution": 1,
            "socio_pedagogical": 0,
            "secure_institution": 0,
            "foster_ordinary": 1,
            "foster_network": 0,
            "foster_special": 0,
            "home_based": 1,
        },
    }
    assert total["share_of_placed"]["total"] == 1.0
    assert total["share_of_placed"]["institution"] == round(90 / 468, 6)
    assert total["spending"]["institution"] == 90_000.0
    assert total["spending"]["family_care"] == 128_000.0
    assert total["spending"]["total"] == 90_000 + 128_000 + 36_600
    # unit cost = spending / årsbørn: a whole year at 1,000 kr a day costs 365,000 kr
    assert total["unit_cost"]["institution"] == 365_000.0
    assert total["unit_cost"]["by_type"]["foster_special"] is None
    assert total["unit_cost"]["total"] == round(254_600 / (468 / 365), 6)


def test_by_group(example):
    pilot, other, unknown = (example["groups"][g] for g in ("pilot", "other", "unknown"))
    assert pilot["placed_aarsboern"]["total"] == round(346 / 365, 6)
    assert other["placed_aarsboern"]["total"] == round(122 / 365, 6)
    assert unknown["placed_aarsboern"]["total"] == 0.0
    assert unknown["share_of_placed"]["total"] is None
    assert unknown["unit_cost"]["total"] is None


def test_breakdowns(example):
    assert example["total"]["breakdowns"] == {
        "count": 1,
        "per_placed_aarsboern": round(1 / (468 / 365), 6),
    }
    assert example["groups"]["other"]["breakdowns"] == {"count": 0, "per_placed_aarsboern": 0.0}
    assert example["groups"]["unknown"]["breakdowns"]["per_placed_aarsboern"] is None


def test_complaints(example):
    assert example["total"]["complaints"]["count"] == 1
    assert example["total"]["complaints"]["cases"] == 3
    # c1 and c2 open all year, c3 from 1 January to 31 May: (365 + 365 + 151) / 365
    assert example["total"]["complaints"]["open_cases"] == round(881 / 365, 6)
    # The share is per average open case, as KORA's table 3.2 counts.
    assert example["total"]["complaints"]["share"] == round(365 / 881, 6)
    pilot = example["groups"]["pilot"]["complaints"]
    assert pilot["share"] == pytest.approx(1 / pilot["open_cases"], rel=1e-5)


def test_followups_per_case(example):
    """The broader count: every follow-up on every episode from step 1."""
    assert example["total"]["followups_all_per_case"] == {
        "2014H1": {"institution": 1.0, "family_care": 1.0, "home_based": 0.0, "preventive": None},
        "2014H2": {"institution": None, "family_care": 1.0, "home_based": None, "preventive": None},
    }


def test_figure_2_2_counts_follow_ups_as_kora_defined_them(example):
    """KORA (figure 2.2) counted "opfølgninger i servicelovens forstand": with a child
    conversation and a review of the plan, on measures with a follow-up duty. The example's
    follow-ups have no child conversation: none of them counts."""
    assert example["total"]["followups_per_case"] == {
        "2014H1": {"institution": 0.0, "family_care": 0.0, "home_based": 0.0, "preventive": None},
        "2014H2": {"institution": None, "family_care": 0.0, "home_based": None, "preventive": None},
    }


def test_step_counts(example):
    counts = example["total"]["step_counts"]
    assert list(counts) == ["2014-03-31", "2014-06-30", "2014-09-30", "2014-12-31"]
    empty = {"0": 0, "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "under_clarification": 0}
    # 31 March: c1 on 5 (e1 runs to 1 April), c2 on 3, c3's case open without an episode
    assert counts["2014-03-31"] == {**empty, "5": 1, "3": 1, "under_clarification": 1, "total": 3}
    # 30 June: c3's case closed on 1 June; e4 is active until 1 July
    assert counts["2014-06-30"] == {**empty, "4": 1, "3": 1, "total": 2}
    assert counts["2014-12-31"] == {**empty, "4": 1, "under_clarification": 1, "total": 2}


def test_movements(example):
    # c1: 5 until 1 April, 19 days without an episode (bridged), 4 from 20 April: 5->4.
    # c2: 2 until 1 January, 59 days without (not bridged), 3 from 1 March: no move.
    moved = example["total"]["movements"]
    assert set(moved["moves"]) == set(MOVE_KEYS)
    assert {k: n for k, n in moved["moves"].items() if n} == {"5->4": 1}
    assert (moved["down"], moved["up"]) == (1, 0)


def test_caseload(example):
    assert example["total"]["caseload"] == {
        "date": "2014-12-31",
        "by_caseworker": {"w1": 1, "w2": 1},
        "mean": 1.0,
        "max": 1,
    }
    assert example["groups"]["unknown"]["caseload"]["by_caseworker"] == {}
    assert example["groups"]["unknown"]["caseload"]["mean"] is None


def test_group_by_team():
    result = evaluate(EXAMPLE, Y2014, group_by="team").as_dict()
    assert list(result["groups"]) == ["t1", "t2"]
    t1 = result["groups"]["t1"]
    assert t1["placed_aarsboern"]["total"] == round(346 / 365, 6)  # c1's case is t1
    assert t1["complaints"]["count"] == 1
    assert t1["complaints"]["cases"] == 2  # c1 and c3
    assert t1["caseload"]["by_caseworker"] == {"w1": 1}


def test_group_by_all_is_the_total():
    result = evaluate(EXAMPLE, Y2014, group_by="all").as_dict()
    assert list(result["groups"]) == ["all"]
    assert result["groups"]["all"] == result["total"]


def test_episode_ending_on_the_first_day_is_not_in_the_period():
    ds = dataset(
        children=[("c", "a")],
        episodes=[
            {
                "child_id": "c",
                "step": 5,
                "placement_type": "secure_institution",
                "start": "2013-06-01",
                "end": "2014-01-01",
                "end_reason": "breakdown",
                "daily_cost": 100,
            }
        ],
    )
    total = evaluate(ds, Y2014).as_dict()["total"]
    assert total["placed_aarsboern"]["total"] == 0.0
    assert total["placed_children"]["total"] == 0
    # its end date lies in the period: the breakdown counts, the ratio has no årsbørn
    assert total["breakdowns"] == {"count": 1, "per_placed_aarsboern": None}


def test_breakdowns_only_of_placements_ended_in_the_period():
    def episode(end: str, placement: str | None = "foster_special") -> dict[str, object]:
        return {
            "child_id": "c",
            "step": 4,
            "placement_type": placement,
            "start": "2013-01-01",
            "end": end,
            "end_reason": "breakdown",
        }

    ds = dataset(
        children=[("c", "a")],
        episodes=[
            episode("2014-12-31"),  # counted
            episode("2015-01-01"),  # after the period
            episode("2014-05-01", placement=None),  # not a placement
            {**episode("2014-05-01"), "end_reason": "planned"},
        ],
    )
    assert evaluate(ds, Y2014).as_dict()["total"]["breakdowns"]["count"] == 1


def test_a_case_closed_on_the_first_day_is_not_open_in_the_period():
    ds = dataset(
        children=[("c", "a"), ("k", "a")],
        cases=[("c", "t", "2013-01-01", "2014-01-01"), ("k", "t", "2014-12-31", None)],
    )
    assert evaluate(ds, Y2014).as_dict()["total"]["complaints"]["cases"] == 1


def test_fixed_prices_split_an_episode_by_calendar_year():
    ds = dataset(
        children=[("c", "a")],
        episodes=[
            {
                "child_id": "c",
                "step": 3,
                "placement_type": "foster_network",
                "start": "2013-12-22",  # 10 days in 2013, 10 in 2014
                "end": "2014-01-11",
                "daily_cost": 1100,
            }
        ],
    )
    period = Period(d("2013-12-01"), d("2014-01-31"))
    prices = {2013: 100.0, 2014: 110.0}
    current = evaluate(ds, period).as_dict()
    assert current["total"]["spending"]["total"] == 22_000.0
    fixed = evaluate(ds, period, prices=prices, base_year=2013).as_dict()
    assert fixed["prices"] == {"base_year": 2013}
    assert fixed["total"]["spending"]["total"] == 11_000 + 10 * 1100 * 100 / 110  # 21,000
    assert fixed["total"]["spending"]["family_care"] == 21_000.0
    assert fixed["total"]["unit_cost"]["total"] == round(21_000 / (20 / 62), 6)
    in_2014 = evaluate(ds, period, prices=prices, base_year=2014).as_dict()
    assert in_2014["total"]["spending"]["total"] == round(10 * 1100 * 1.1 + 11_000, 6)


def test_fixed_prices_need_every_year_and_a_base():
    period = Period(d("2013-06-01"), d("2015-06-30"))
    with pytest.raises(ValueError, match="2014"):
        evaluate(EXAMPLE, period, prices={2013: 100, 2015: 104}, base_year=2013).as_dict()
    with pytest.raises(ValueError, match="2012"):
        evaluate(EXAMPLE, Y2014, prices={2014: 100}, base_year=2012).as_dict()
    with pytest.raises(ValueError, match="both"):
        evaluate(EXAMPLE, Y2014, prices={2014: 100}).as_dict()
    with pytest.raises(ValueError, match="both"):
        evaluate(EXAMPLE, Y2014, base_year=2014).as_dict()


def test_parse_price_index():
    assert parse_price_index("year,index\n2013,100\n2014, 100.6\n\n") == {2013: 100.0, 2014: 100.6}
    assert parse_price_index("\ufeff2013;100,0\n2014;101,2\n") == {2013: 100.0, 2014: 101.2}
    for text, message in [
        ("", "no years"),
        ("2013,100,1\n", "line 1: expected 'year,index'"),
        ("2013,100\nyear,index\n", "line 2: the year 'year' is not a whole number"),
        ("2013,abc\n", "the index 'abc' is not a number"),
        ("2013,0\n", "must be > 0"),
        ("2013,100\n2013,101\n", "2013 appears twice"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_price_index(text)


def test_half_years_are_clipped_to_the_period():
    ds = dataset(
        children=[("c", "a"), ("k", "a")],
        episodes=[
            # active only in January: not in the clipped first half-year (March–June)
            {
                "episode_id": "jan",
                "child_id": "k",
                "step": 1,
                "start": "2014-01-01",
                "end": "2014-02-01",
            },
            {"episode_id": "prev", "child_id": "c", "step": 1, "start": "2014-01-01"},
            {"episode_id": "zero", "child_id": "c", "step": 0, "start": "2014-01-01"},
        ],
        followups=[
            ("prev", "c", "2014-02-15"),  # before the period
            ("prev", "c", "2014-03-01"),
            ("prev", "c", "2014-06-30"),
            ("prev", "c", "2014-07-01"),
            ("prev", "c", "2014-10-01"),  # after the period
            ("zero", "c", "2014-03-05"),  # step 0: not counted
            ("jan", "k", "2014-03-02"),  # on an episode not active then: counted, k is not
        ],
    )
    result = evaluate(ds, Period(d("2014-03-01"), d("2014-09-30"))).as_dict()
    # The broader count (step 1 is prevention, without a follow-up duty: not in figure 2.2).
    assert result["total"]["followups_per_case"]["2014H1"]["preventive"] is None
    per = result["total"]["followups_all_per_case"]
    assert list(per) == ["2014H1", "2014H2"]
    assert per["2014H1"]["preventive"] == 3.0  # 3 follow-ups ÷ 1 child (c)
    assert per["2014H2"]["preventive"] == 1.0
    assert per["2014H1"]["institution"] is None


def test_step_counts_on_given_dates():
    ds = dataset(
        children=[("c", "a")],
        cases=[("c", "t", "2014-02-01", "2014-04-01")],
        episodes=[
            {"child_id": "c", "step": 1, "start": "2014-01-01"},
            {
                "child_id": "c",
                "step": 4,
                "placement_type": "foster_ordinary",
                "start": "2014-03-01",
            },
        ],
    )
    counts = evaluate(
        ds, Y2014, step_dates=[d("2014-03-31"), d("2014-02-28"), d("2014-04-01")]
    ).as_dict()
    steps = counts["total"]["step_counts"]
    assert list(steps) == ["2014-02-28", "2014-03-31", "2014-04-01"]
    assert steps["2014-02-28"]["1"] == 1
    assert steps["2014-03-31"]["4"] == 1  # the highest active step
    assert steps["2014-04-01"]["total"] == 0  # the case closed that day


def _moves(episodes, period=Y2014):
    ds = dataset(children=[("c", "a")], episodes=[{"child_id": "c", **e} for e in episodes])
    moved = evaluate(ds, period).as_dict()["total"]["movements"]
    return {k: n for k, n in moved["moves"].items() if n}, moved["down"], moved["up"]


def test_a_gap_of_31_days_is_bridged_and_32_is_not():
    assert _moves(
        [
            {"step": 4, "start": "2014-01-01", "end": "2014-03-01"},
            {"step": 5, "start": "2014-04-01"},  # no episode 1–31 March: 31 days
        ]
    ) == ({"4->5": 1}, 0, 1)
    assert _moves(
        [
            {"step": 4, "start": "2014-01-01", "end": "2014-03-01"},
            {"step": 5, "start": "2014-04-02"},  # 32 days: an exit and an entry
        ]
    ) == ({}, 0, 0)


def test_moves_between_parallel_episodes():
    # 1 runs all year; 4 from February to May on top of it: up 1->4, then down 4->1
    assert _moves(
        [
            {"step": 1, "start": "2013-01-01"},
            {"step": 4, "start": "2014-02-01", "end": "2014-06-01"},
            {"step": 4, "start": "2014-06-01", "end": "2014-07-01"},  # continues on 4: no move
        ]
    ) == ({"1->4": 1, "4->1": 1}, 1, 1)


def test_only_moves_on_days_of_the_period_count():
    episodes = [
        {"step": 3, "start": "2013-01-01", "end": "2014-01-01"},
        {"step": 2, "start": "2014-01-01", "end": "2015-01-01"},  # move on 1 January 2014
        {"step": 1, "start": "2015-01-01"},  # move on 1 January 2015
    ]
    assert _moves(episodes) == ({"3->2": 1}, 1, 0)
    assert _moves(episodes, Period.year(2015)) == ({"2->1": 1}, 1, 0)
    assert _moves(episodes, Period.year(2013)) == ({}, 0, 0)


def test_a_bridged_gap_back_to_the_same_step_is_no_move():
    assert _moves(
        [
            {"step": 5, "start": "2014-01-01", "end": "2014-03-01"},
            {"step": 5, "start": "2014-03-20"},
        ]
    ) == ({}, 0, 0)


def test_refusals():
    with pytest.raises(ValueError, match="group_by must be one of"):
        evaluate(EXAMPLE, Y2014, group_by="region").as_dict()
    odd = dataset(
        children=[("c", "a")],
        episodes=[
            {"child_id": "c", "step": 5, "placement_type": "boarding_school", "start": "2014-01-01"}
        ],
    )
    with pytest.raises(ValueError, match="boarding_school"):
        evaluate(odd, Y2014).as_dict()
    high = dataset(
        children=[("c", "a")], episodes=[{"child_id": "c", "step": 7, "start": "2014-01-01"}]
    )
    with pytest.raises(ValueError, match="step must be 0–5"):
        evaluate(high, Y2014).as_dict()


def test_an_empty_dataset_gives_zeros():
    result = evaluate(dataset(), Y2014).as_dict()
    assert result["groups"] == {}
    total = result["total"]
    assert total["placed_aarsboern"]["total"] == 0.0
    assert total["share_of_placed"]["total"] is None
    assert total["step_counts"]["2014-12-31"]["total"] == 0
    assert total["caseload"]["mean"] is None


def test_children_missing_from_the_children_table_are_unknown():
    ds = dataset(
        districts=[("a", "pilot")],
        children=[("c", "a")],
        cases=[("ghost", "t", "2013-01-01", None)],
        episodes=[
            {
                "child_id": "ghost",
                "step": 5,
                "placement_type": "socio_pedagogical",
                "start": "2014-07-02",
            }
        ],
    )
    result = evaluate(ds, Y2014).as_dict()
    assert result["groups"]["unknown"]["placed_aarsboern"]["total"] == round(183 / 365, 6)
    assert result["groups"]["pilot"]["placed_aarsboern"]["total"] == 0.0
    assert result["groups"]["unknown"]["step_counts"]["2014-12-31"]["5"] == 1
