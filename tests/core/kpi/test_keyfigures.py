import dataclasses
import json
from datetime import date, timedelta
from unittest import mock

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.kpi import oracle_keyfigures as keyfigures
from tests.core.kpi.build import dataset
from tests.core.kpi.oracle_keyfigures import key_figures, key_figures_by_group
from trappen.core.kpi import Period
from trappen.core.kpi.frames import active_in, overlap_days
from trappen.core.staircase import PlacementType

Y2014 = Period.year(2014)


def approx(expected):
    """Figures are rounded to 6 decimals."""
    return pytest.approx(expected, abs=1e-6)


INST, SOCIO = "residential_institution", "socio_pedagogical"


def ep(child, step, start, end=None, placement_type=None, cost=0.0, **kw):
    return {
        "child_id": child,
        "step": step,
        "start": start,
        "end": end,
        "placement_type": placement_type,
        "daily_cost": cost,
        **kw,
    }


# c1: institution 2013-06-01 → 2014-03-01, 19 days out, socio-pedagogical 2014-03-20 → 06-01
#     (one stay of 365 days), foster care from 2014-06-15.
# c2: home-based (step 2, no type) 2014-02-01 → 05-01, then network foster care from 05-01.
# c3: preventive 2014-08-01 → 10-01, home-based 2014-09-01 → 11-01, then nothing.
DS = dataset(
    districts=[("a", "P"), ("b", "O")],
    children=[("c1", "a"), ("c2", "a"), ("c3", "b")],
    episodes=[
        ep("c1", 5, "2013-06-01", "2014-03-01", INST, 2000, episode_id="i1"),
        ep("c1", 5, "2014-03-20", "2014-06-01", SOCIO, 1500, episode_id="i2"),
        ep("c1", 4, "2014-06-15", None, "foster_ordinary", 800, episode_id="f1"),
        ep("c2", 2, "2014-02-01", "2014-05-01", None, 100, episode_id="h1"),
        ep("c2", 3, "2014-05-01", None, "foster_network", 300, episode_id="n1"),
        ep("c3", 1, "2014-08-01", "2014-10-01", None, 50, episode_id="p1"),
        ep("c3", 2, "2014-09-01", "2014-11-01", None, 50, episode_id="h2"),
    ],
    followups=[("i1", "c1", "2014-01-10"), ("n1", "c2", "2014-06-01"), ("f1", "c1", "2015-01-05")],
)


def with_conversations(ds, flags):
    followups = ds.followups.with_columns(child_conversation=pl.Series(flags, dtype=pl.Boolean))
    return dataclasses.replace(ds, followups=followups)


def test_institution_placements():
    kf = key_figures(DS, Y2014)
    # 59 days (Jan-Feb) + 73 days (20 March - 31 May) of 365
    assert kf["institution"] == {
        "children": 1,
        "aarsboern": approx((59 + 73) / 365),
        "new": 0,  # the stay began in 2013; the second episode continues it
        "started": 1,
    }
    y2013 = key_figures(DS, Period.year(2013))["institution"]
    assert y2013["new"] == 1 and y2013["aarsboern"] == approx(214 / 365)


def test_a_gap_over_31_days_starts_a_new_stay():
    ds = dataset(
        episodes=[
            ep("c1", 5, "2013-06-01", "2014-03-01", INST),
            ep("c1", 5, "2014-04-02", "2014-06-01", INST),  # 32 days out
        ]
    )
    kf = key_figures(ds, Y2014)
    assert kf["institution"]["new"] == 1
    d = kf["institution_duration"]
    assert d["ended"] == 2  # both stays ended in 2014
    lengths = [
        (date(2014, 3, 1) - date(2013, 6, 1)).days,
        (date(2014, 6, 1) - date(2014, 4, 2)).days,
    ]
    assert d["mean_days"] == approx(sum(lengths) / 2)
    assert d["median_days"] == approx(sum(lengths) / 2)
    # 31 days out: still one stay
    ds31 = dataset(
        episodes=[
            ep("c1", 5, "2013-06-01", "2014-03-01", INST),
            ep("c1", 5, "2014-04-01", "2014-06-01", INST),
        ]
    )
    assert key_figures(ds31, Y2014)["institution_duration"]["ended"] == 1


def test_duration_of_institution_stays():
    d = key_figures(DS, Y2014)["institution_duration"]
    assert d == {"ended": 1, "mean_days": 365.0, "median_days": 365.0}
    ds = dataset(
        episodes=[
            ep("a", 5, "2014-01-01", "2014-01-11", INST),  # 10 days
            ep("b", 5, "2014-01-01", "2014-01-21", SOCIO),  # 20 days
            ep("c", 5, "2014-01-01", "2014-04-01", INST),  # 90 days
            ep("d", 5, "2014-01-01", None, INST),  # running: not ended
            ep("e", 5, "2014-01-01", "2015-01-01", INST),  # ends 1 Jan 2015: not in 2014
        ]
    )
    d = key_figures(ds, Y2014)["institution_duration"]
    assert d == {"ended": 3, "mean_days": approx(40.0), "median_days": 20.0}
    assert key_figures(dataset(), Y2014)["institution_duration"] == {
        "ended": 0,
        "mean_days": None,
        "median_days": None,
    }


def test_foster_network_and_home_based():
    kf = key_figures(DS, Y2014)
    assert kf["foster"] == {
        "children": 1,
        "aarsboern": approx(200 / 365),
        "new": 1,
        "started": 1,
    }
    assert kf["network"] == {
        "children": 1,
        "aarsboern": approx(245 / 365),
        "new": 1,
        "started": 1,
    }
    hb = kf["home_based"]
    assert hb["children"] == 2 and hb["aarsboern"] == approx((89 + 61) / 365)
    assert hb["new"] == 2 and hb["started"] == 2
    assert hb["with_placement_type"] == {"children": 0, "aarsboern": 0.0}
    assert hb["without_placement_type"]["children"] == 2
    ds = dataset(
        episodes=[
            ep("x", 2, "2014-01-01", "2014-01-31", "home_based"),
            ep("y", 2, "2013-01-01", "2014-01-02", None),
        ]
    )
    hb = key_figures(ds, Y2014)["home_based"]
    assert hb["with_placement_type"] == {"children": 1, "aarsboern": approx(30 / 365)}
    assert hb["without_placement_type"] == {"children": 1, "aarsboern": approx(1 / 365)}
    assert hb["new"] == 1  # y's stay began in 2013


def test_preventive_measures_and_their_development():
    kf = key_figures(DS, Y2014)
    assert kf["preventive"] == {
        "children": 1,
        "aarsboern": approx(61 / 365),
        "new": 1,
        "started": 1,
    }
    assert kf["preventive_development"] == {"2014H1": 0, "2014H2": 1}
    ds = dataset(
        episodes=[
            ep("a", 1, "2014-02-01", "2014-03-01"),
            ep("a", 1, "2014-03-10", "2014-04-01"),  # same child, same stay: started, not new
            ep("b", 1, "2014-06-30", None),
            ep("c", 1, "2014-07-01", None),
            ep("d", 1, "2015-01-01", None),  # after the period
            ep("e", 1, "2014-05-01", "2014-05-01"),  # empty: never active
        ]
    )
    kf = key_figures(ds, Y2014)
    assert kf["preventive"]["children"] == 3
    assert kf["preventive"]["new"] == 3 and kf["preventive"]["started"] == 4
    assert kf["preventive_development"] == {"2014H1": 3, "2014H2": 1}
    halves = key_figures(ds, Period(date(2014, 3, 1), date(2015, 2, 28)))["preventive_development"]
    assert halves == {"2014H1": 2, "2014H2": 1, "2015H1": 1}


def test_formerly_institution_placed_and_where_they_went():
    kf = key_figures(DS, Y2014)
    assert kf["formerly_institution"]["children"] == 1
    assert kf["formerly_institution"]["next_step"]["4"] == 1  # foster care 14 days later
    ds = dataset(
        episodes=[
            ep("a", 5, "2014-01-01", "2014-03-01", INST),
            ep("a", 1, "2014-04-01", None),  # 31 days after: counts
            ep("a", 2, "2014-04-02", None),  # 32 days after: too late
            ep("b", 5, "2014-01-01", "2014-03-01", INST),
            ep("b", 0, "2013-01-01", None),  # running alongside, still active at the end
            ep("c", 5, "2014-01-01", "2014-03-01", INST),  # nothing after
            ep("d", 5, "2014-01-01", "2014-03-01", INST),
            ep("d", 3, "2014-02-01", "2014-03-01", "foster_network"),  # ended with the stay
        ]
    )
    f = key_figures(ds, Y2014)["formerly_institution"]
    assert f["children"] == 4
    assert f["next_step"] == {"5": 0, "4": 0, "3": 0, "2": 0, "1": 1, "0": 1, "none": 2}


def test_movements_from_home_based_measures():
    mv = key_figures(DS, Y2014)["home_based_movements"]
    # c2 2 → 3 on 1 May; c3 1 → 2 on 1 Sep (not from 2), then 2 → none on 1 Nov
    assert mv == {
        "up": 1,
        "down": 0,
        "ended": 1,
        "moves": {"0": 0, "1": 0, "3": 1, "4": 0, "5": 0, "none": 1},
    }
    ds = dataset(
        episodes=[
            ep("a", 2, "2014-01-01", "2014-03-01"),
            ep("a", 1, "2014-03-20", None),  # gap of 19 days bridged: 2 → 1 down
            ep("b", 2, "2014-01-01", "2014-03-01"),
            ep("b", 1, "2014-05-01", None),  # gap of 61 days: 2 → none, then a fresh start
            ep("c", 2, "2014-01-01", None),
            ep("c", 5, "2014-02-01", "2014-03-01", INST),  # up 2 → 5, back down 5 → 2
            ep("d", 2, "2014-01-01", "2014-06-01"),
            ep("d", 0, "2014-01-01", None),  # 2 → 0 down
            ep("e", 3, "2014-01-01", "2014-06-01", "foster_network"),
            ep("e", 2, "2014-01-01", None),  # 3 → 2: not a move from 2
        ]
    )
    mv = key_figures(ds, Y2014)["home_based_movements"]
    assert mv == {
        "up": 1,
        "down": 2,
        "ended": 1,
        "moves": {"0": 1, "1": 1, "3": 0, "4": 0, "5": 1, "none": 1},
    }
    assert key_figures(ds, Period.year(2015))["home_based_movements"]["moves"] == dict.fromkeys(
        ("0", "1", "3", "4", "5", "none"), 0
    )


def test_spending_on_preventive_measures_and_placements():
    s = key_figures(DS, Y2014)["spending"]
    assert s["placements"] == approx(59 * 2000 + 73 * 1500 + 200 * 800 + 245 * 300)
    assert s["preventive"] == approx(89 * 100 + 61 * 50 + 61 * 50)
    ds = dataset(
        episodes=[
            ep("a", 0, "2014-01-01", "2014-01-11", None, 1000),  # step 0: neither
            ep("a", 2, "2014-01-01", "2014-01-11", "home_based", 7),  # typed: a placement
        ]
    )
    assert key_figures(ds, Y2014)["spending"] == {"preventive": 0.0, "placements": 70.0}


def test_followups():
    ds = with_conversations(DS, [True, False, True])
    f = key_figures(ds, Y2014)["followups"]
    # two held in 2014 (the third is in 2015); placed children in 2014: c1, c2
    assert f == {
        "count": 2,
        "with_child_conversation": 1,
        "per_placed_child": 1.0,
        "share_with_child_conversation": 0.5,
    }
    f = key_figures(ds, Y2014, children={"c3"})["followups"]
    assert f == {
        "count": 0,
        "with_child_conversation": 0,
        "per_placed_child": None,
        "share_with_child_conversation": None,
    }


def test_children_restrict_and_groups_agree():
    one = key_figures(DS, Y2014, children={"c1"})
    assert one["institution"]["children"] == 1 and one["network"]["children"] == 0
    assert one["followups"]["count"] == 1
    series = key_figures(DS, Y2014, children=pl.Series(["c1"]))
    assert series == one
    groups = pl.DataFrame({"child_id": ["c1", "c2", "c3"], "group": ["P", "P", "O"]})
    by = key_figures_by_group(DS, Y2014, groups, names=["P", "O", "empty"])
    assert by["P"] == key_figures(DS, Y2014, children={"c1", "c2"})
    assert by["O"] == key_figures(DS, Y2014, children=["c3"])
    assert by["empty"] == key_figures(DS, Y2014, children=set())
    assert key_figures(DS, Y2014, children={"c1", "c2", "c3"}) == key_figures(DS, Y2014)
    json.dumps(by, allow_nan=False)


def test_an_empty_dataset():
    kf = key_figures(dataset(), Y2014)
    assert kf["institution"] == {"children": 0, "aarsboern": 0.0, "new": 0, "started": 0}
    assert kf["formerly_institution"]["children"] == 0
    json.dumps(kf, allow_nan=False)


# ------------------------------------------------------------------ laws

TYPES = [None, *(t.value for t in PlacementType)]
BASE = date(2013, 1, 1)


@st.composite
def episodes(draw):
    child = draw(st.sampled_from(["a", "b", "c", "d"]))
    start = BASE + timedelta(days=draw(st.integers(0, 1000)))
    length = draw(st.one_of(st.none(), st.integers(0, 400)))
    return ep(
        child,
        draw(st.integers(0, 5)),
        start.isoformat(),
        None if length is None else (start + timedelta(days=length)).isoformat(),
        draw(st.sampled_from(TYPES)),
        draw(st.floats(0, 5000)),
    )


@st.composite
def datasets(draw):
    eps = draw(st.lists(episodes(), max_size=14))
    for i, e in enumerate(eps):
        e["episode_id"] = f"e{i}"
    followups = [
        (
            f"e{draw(st.integers(0, max(0, len(eps) - 1)))}",
            draw(st.sampled_from(["a", "b", "c", "d"])),
            (BASE + timedelta(days=draw(st.integers(0, 1000)))).isoformat(),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    return dataset(episodes=eps, followups=followups if eps else [])


periods = st.builds(
    lambda a, n: Period(BASE + timedelta(days=a), BASE + timedelta(days=a + n)),
    st.integers(0, 1000),
    st.integers(0, 500),
)
RATIOS = {"mean_days", "median_days", "per_placed_child", "share_with_child_conversation"}


def leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, (*path, k))
    else:
        yield path, node


@settings(max_examples=60, deadline=None)
@given(ds=datasets(), period=periods)
def test_counts_are_never_negative_and_new_never_exceeds_active(ds, period):
    kf = key_figures(ds, period)
    json.dumps(kf, allow_nan=False)
    for path, value in leaves(kf):
        assert value is None or value >= 0, path
    for kind in ("institution", "foster", "network", "home_based", "preventive"):
        assert kf[kind]["new"] <= kf[kind]["children"] <= 4
        assert kf[kind]["aarsboern"] <= 14  # at most 1 per episode
    assert sum(kf["preventive_development"].values()) == kf["preventive"]["started"]
    assert kf["formerly_institution"]["children"] <= kf["institution_duration"]["ended"]
    mv = kf["home_based_movements"]
    assert mv["up"] + mv["down"] + mv["ended"] <= sum(mv["moves"].values())
    share = kf["followups"]["share_with_child_conversation"]
    assert share is None or share <= 1


@settings(max_examples=60, deadline=None)
@given(ds=datasets(), period=periods, subset=st.sets(st.sampled_from(["a", "b", "c", "d"])))
def test_restricting_the_children_never_increases_a_count(ds, period, subset):
    full = dict(leaves(key_figures(ds, period)))
    part = dict(leaves(key_figures(ds, period, children=subset)))
    assert full.keys() == part.keys()
    for path, value in part.items():
        if path[-1] in RATIOS:
            continue
        assert value <= full[path] + 1e-9 * max(1.0, abs(full[path])), path


def reference_stays(eps):
    """Plain Python: a child's episodes joined while the next starts <= 31 days after the
    latest end so far; (child, start, end or None)."""
    out = []
    for child in sorted({e["child_id"] for e in eps}):
        mine = sorted((e for e in eps if e["child_id"] == child), key=lambda e: e["start_date"])
        far = date.max
        current = None
        for e in mine:
            end = e["end_date"] or far
            if current and (e["start_date"] - current[2]).days <= 31:
                current[2] = max(current[2], end)
            else:
                current = [child, e["start_date"], end]
                out.append(current)
    return [(c, s, None if e == date.max else e) for c, s, e in out]


@settings(max_examples=60, deadline=None)
@given(ds=datasets(), period=periods)
def test_stay_figures_match_a_plain_python_reference(ds, period):
    live = [
        e
        for e in ds.episodes.iter_rows(named=True)
        if e["end_date"] is None or e["end_date"] > e["start_date"]
    ]
    inst = [e for e in live if e["placement_type"] in (INST, SOCIO, "secure_institution")]
    stays = reference_stays(inst)
    kf = key_figures(ds, period)

    def active(e):
        return e["start_date"] <= period.end and (
            e["end_date"] is None or e["end_date"] > period.start
        )

    def overlap(e):
        hi = min(e["end_date"] or date.max, period.stop)
        return max(0, (hi - max(e["start_date"], period.start)).days)

    assert kf["institution"]["children"] == len({e["child_id"] for e in inst if active(e)})
    assert kf["institution"]["aarsboern"] == approx(sum(map(overlap, inst)) / period.days)
    assert kf["institution"]["new"] == len({c for c, s, _ in stays if period.contains(s)})
    ended = [(c, s, e) for c, s, e in stays if e is not None and period.contains(e)]
    assert kf["institution_duration"]["ended"] == len(ended)
    if ended:
        mean = sum((e - s).days for _, s, e in ended) / len(ended)
        assert kf["institution_duration"]["mean_days"] == approx(mean)
    nexts = {}
    for child in {c for c, _, _ in ended}:
        left = max(e for c, _, e in ended if c == child)
        steps = [
            e["step"]
            for e in live
            if e["child_id"] == child
            and e["start_date"] <= left + timedelta(days=31)
            and (e["end_date"] is None or e["end_date"] > left)
        ]
        key = str(max(steps)) if steps else "none"
        nexts[key] = nexts.get(key, 0) + 1
    got = {k: v for k, v in kf["formerly_institution"]["next_step"].items() if v}
    assert got == nexts
    preventive = sum(
        overlap(e) * e["daily_cost"]
        for e in live
        if e["step"] in (1, 2) and e["placement_type"] is None
    )
    placements = sum(overlap(e) * e["daily_cost"] for e in live if e["placement_type"])
    assert kf["spending"]["preventive"] == approx(preventive)
    assert kf["spending"]["placements"] == approx(placements)


def _all_live(ds, period):
    """keyfigures._live_episodes without its window: every episode active on some day."""
    return ds.episodes.filter(
        pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("start_date"))
    ).with_columns(
        child=pl.col("child_id").cast(pl.Categorical).to_physical().cast(pl.Int64),
        overlap=overlap_days(period),
        active=active_in(period),
        started=pl.col("start_date").is_between(period.start, period.end),
    )


@settings(max_examples=120, deadline=None)
@given(ds=datasets(), period=periods)
def test_the_windows_change_nothing(ds, period):
    """Only episodes near the period (and institution histories) are read, only those near it
    enter the stays and the timeline: the same figures as from every episode."""
    main = {k: keyfigures._KINDS[k] for k in keyfigures._MAIN_KINDS}
    windowed = key_figures(ds, period)
    with (
        mock.patch.object(keyfigures, "_live_episodes", _all_live),
        mock.patch.object(keyfigures, "_stay_episodes", lambda e, p: keyfigures._kinds(e, main)),
        mock.patch.object(keyfigures, "_near", lambda episodes, period: episodes),
    ):
        full = key_figures(ds, period)
    assert dict(leaves(full)) == approx(dict(leaves(windowed)))


KIND_OF = {
    "institution": lambda e: e["placement_type"] in (INST, SOCIO, "secure_institution"),
    "foster": lambda e: e["placement_type"] in ("foster_ordinary", "foster_special"),
    "network": lambda e: e["placement_type"] == "foster_network",
    "home_based": lambda e: e["step"] == 2,
    "preventive": lambda e: e["step"] == 1,
}


@settings(max_examples=60, deadline=None)
@given(ds=datasets(), period=periods)
def test_new_of_every_kind_matches_the_reference(ds, period):
    live = [
        e
        for e in ds.episodes.iter_rows(named=True)
        if e["end_date"] is None or e["end_date"] > e["start_date"]
    ]
    kf = key_figures(ds, period)
    for kind, member in KIND_OF.items():
        stays = reference_stays([e for e in live if member(e)])
        assert kf[kind]["new"] == len({c for c, s, _ in stays if period.contains(s)}), kind
