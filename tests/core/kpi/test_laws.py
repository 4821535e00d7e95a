"""Laws of evaluate() on random small datasets, and agreement with a day-by-day reference."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.kpi.build import dataset
from trappen.core.dataset import CATEGORIES
from trappen.core.kpi import GROUP_BY_CHOICES, Period, evaluate
from trappen.core.kpi.frames import cases_keyed, complaints_keyed, episodes_keyed
from trappen.core.kpi.report import TYPES, prepare
from trappen.core.staircase import EpisodeSpan, current_step

ORIGIN = date(2012, 1, 1)
DISTRICTS = [("a", "pilot"), ("b", "pilot"), ("c", "other")]
CATEGORY_OF = {t.value: c for c, types in CATEGORIES.items() for t in types}
LAWS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def day(n: int) -> date:
    return ORIGIN + timedelta(days=n)


@st.composite
def datasets(draw):
    n = draw(st.integers(1, 5))
    children = [(f"c{i}", draw(st.sampled_from(["a", "b", "c", None]))) for i in range(n)]
    cases, episodes, followups, complaints = [], [], [], []
    for child, _ in children:
        cut = sorted(draw(st.lists(st.integers(0, 1500), min_size=0, max_size=4, unique=True)))
        for opened, closed in zip(cut[::2], [*cut[1::2], None], strict=False):
            cases.append(
                (
                    child,
                    draw(st.sampled_from(["t1", "t2", None])),
                    day(opened).isoformat(),
                    None if closed is None else day(closed).isoformat(),
                    draw(st.sampled_from(["w1", "w2", None])),
                )
            )
        # A child is in one placement at a time; other measures may run alongside.
        placed_until = draw(st.integers(0, 300))
        for _ in range(draw(st.integers(0, 4))):
            placement = draw(st.one_of(st.none(), st.sampled_from(TYPES)))
            if placement is None:
                start = draw(st.integers(0, 1400))
            elif placed_until is None:
                continue  # the placement before runs on
            else:
                start = placed_until + draw(st.integers(0, 60))
            length = draw(st.one_of(st.none(), st.integers(0, 500)))
            if placement is not None:
                placed_until = None if length is None else start + length
            episode_id = f"e{len(episodes)}"
            episodes.append(
                {
                    "episode_id": episode_id,
                    "child_id": child,
                    "step": draw(st.integers(0, 5)),
                    "placement_type": placement,
                    "start": day(start).isoformat(),
                    "end": None if length is None else day(start + length).isoformat(),
                    "end_reason": draw(st.sampled_from([None, "breakdown", "planned"])),
                    "daily_cost": draw(st.integers(0, 3000)),
                }
            )
            for held in draw(st.lists(st.integers(0, 600), max_size=3)):
                talk = draw(st.booleans())
                followups.append((episode_id, child, day(start + held).isoformat(), talk))
        for when in draw(st.lists(st.integers(0, 1500), max_size=2)):
            complaints.append((child, draw(st.sampled_from(["t1", "t3"])), day(when).isoformat()))
    return dataset(
        districts=DISTRICTS,
        children=children,
        cases=cases,
        episodes=episodes,
        followups=followups,
        complaints=complaints,
    )


@st.composite
def periods(draw):
    start = draw(st.integers(100, 1300))
    return Period(day(start), day(start + draw(st.integers(0, 500))))


def placement_days(figures, days: int, kind: str = "total") -> int:
    """Back from årsbørn to whole days (årsbørn are rounded to 6 decimals)."""
    return round(figures["placed_aarsboern"][kind] * days)


@LAWS
@given(datasets(), periods())
def test_aarsboern_never_exceed_the_children(ds, period):
    total = evaluate(ds, period).as_dict()["total"]
    assert total["placed_aarsboern"]["total"] <= total["placed_children"]["total"] + 1e-9
    assert total["placed_children"]["total"] <= ds.children.height
    for kind in ("institution", "family_care", "home_based"):
        assert total["placed_children"][kind] <= total["placed_children"]["total"]


@LAWS
@given(datasets(), periods())
def test_shares_sum_to_one(ds, period):
    shares = evaluate(ds, period).as_dict()["total"]["share_of_placed"]
    if shares["total"] is None:
        assert all(v is None for v in shares["by_type"].values())
        return
    assert shares["total"] == 1.0
    assert sum(shares[k] for k in CATEGORIES) == pytest.approx(1.0, abs=1e-5)
    assert sum(shares["by_type"].values()) == pytest.approx(1.0, abs=1e-5)


@LAWS
@given(datasets(), periods(), st.data())
def test_splitting_a_period_keeps_days_and_spending_additive(ds, period, data):
    if period.days < 2:
        return
    cut = period.start + timedelta(days=data.draw(st.integers(1, period.days - 1)))
    first, second = Period(period.start, cut - timedelta(days=1)), Period(cut, period.end)
    whole, a, b = (evaluate(ds, p).as_dict()["total"] for p in (period, first, second))
    for kind in ("total", *CATEGORIES):
        assert placement_days(whole, period.days, kind) == placement_days(
            a, first.days, kind
        ) + placement_days(b, second.days, kind)
        assert whole["spending"][kind] == pytest.approx(
            a["spending"][kind] + b["spending"][kind], rel=1e-9, abs=1e-5
        )


@LAWS
@given(datasets(), periods())
def test_group_by_all_equals_the_total(ds, period):
    result = evaluate(ds, period, group_by="all").as_dict()
    assert result["groups"] == {"all": result["total"]}


@LAWS
@given(datasets(), periods(), st.sampled_from(["group", "district", "team"]))
def test_additive_counts_sum_over_the_groups(ds, period, group_by):
    result = evaluate(ds, period, group_by=group_by).as_dict()
    groups, total = list(result["groups"].values()), result["total"]

    def summed(get):
        return sum(get(g) for g in groups)

    assert summed(lambda g: placement_days(g, period.days)) == placement_days(total, period.days)
    assert summed(lambda g: g["spending"]["total"]) == pytest.approx(
        total["spending"]["total"], rel=1e-9, abs=1e-5
    )
    assert summed(lambda g: g["breakdowns"]["count"]) == total["breakdowns"]["count"]
    for key in ("count", "cases"):
        assert summed(lambda g, key=key: g["complaints"][key]) == total["complaints"][key]
    for when, counts in total["step_counts"].items():
        for key, n in counts.items():
            assert summed(lambda g, w=when, k=key: g["step_counts"][w][k]) == n
    for key, n in total["movements"]["moves"].items():
        assert summed(lambda g, k=key: g["movements"]["moves"][k]) == n
    for worker, n in total["caseload"]["by_caseworker"].items():
        assert summed(lambda g, w=worker: g["caseload"]["by_caseworker"].get(w, 0)) == n


@LAWS
@given(datasets(), st.sampled_from(GROUP_BY_CHOICES))
def test_the_engine_keys_rows_as_frames_does(ds, group_by):
    data = prepare(ds, group_by)
    for prepared, keyed in (
        (data.episodes, episodes_keyed(ds, group_by)),
        (data.cases, cases_keyed(ds, group_by)),
        (data.complaints, complaints_keyed(ds, group_by)),
    ):
        names = [data.groups[g] for g in prepared.get_column("g").to_list()]
        assert names == keyed.get_column("group").to_list()


# -- a day-by-day reference ---------------------------------------------------------------


def _dates(text):
    return None if text is None else date.fromisoformat(str(text))


def _days(period: Period):
    return [period.start + timedelta(days=i) for i in range(period.days)]


def _reference(ds, period: Period):
    """Placement days per type, step counts and moves, by walking every day (no group)."""
    episodes = ds.episodes.to_dicts()
    days_by_type = dict.fromkeys(TYPES, 0)
    for e in episodes:
        if e["placement_type"] is None:
            continue
        span = EpisodeSpan(e["step"], e["start_date"], e["end_date"])
        days_by_type[e["placement_type"]] += sum(span.active_on(x) for x in _days(period))
    spans = {}
    for e in episodes:
        spans.setdefault(e["child_id"], []).append(
            EpisodeSpan(e["step"], e["start_date"], e["end_date"])
        )
    steps = {}
    for when in sorted({*period.quarter_ends(), period.end}):
        counts = dict.fromkeys(["0", "1", "2", "3", "4", "5", "under_clarification"], 0)
        open_children = {
            c["child_id"]
            for c in ds.cases.to_dicts()
            if c["opened"] <= when and (c["closed"] is None or when < c["closed"])
        }
        for child in open_children:
            on = current_step(spans.get(child, []), when)
            counts["under_clarification" if on is None else str(on)] += 1
        steps[when.isoformat()] = {**counts, "total": len(open_children)}
    moves: dict[str, int] = {}
    for child_spans in spans.values():
        first = min(s.start for s in child_spans)
        history = Period(min(first, period.start), period.end)
        on = [current_step(child_spans, x) for x in _days(history)]
        # bridge gaps of at most 31 days between two steps
        i = 0
        while i < len(on):
            if on[i] is None and i > 0 and on[i - 1] is not None:
                j = i
                while j < len(on) and on[j] is None:
                    j += 1
                if j < len(on) and j - i <= 31:
                    on[i:j] = [on[i - 1]] * (j - i)
                i = j
            else:
                i += 1
        for i, x in enumerate(_days(history)):
            if i and period.contains(x) and None not in (on[i - 1], on[i]) and on[i - 1] != on[i]:
                key = f"{on[i - 1]}->{on[i]}"
                moves[key] = moves.get(key, 0) + 1
    return (
        days_by_type,
        steps,
        moves,
        _followups(ds, episodes, period, kora=True),
        _followups(ds, episodes, period, kora=False),
    )


def _followups(ds, episodes, period, *, kora):  # type: ignore[no-untyped-def]
    """Figure 2.2 by KORA's definition (`kora`: with a child conversation, preventive from
    step 2) or the broader count (every follow-up, preventive from step 1)."""
    followups = {}
    first = 2 if kora else 1
    category = {
        e["episode_id"]: CATEGORY_OF[e["placement_type"]]
        if e["placement_type"]
        else ("preventive" if e["step"] >= first else None)
        for e in episodes
    }
    held = [f for f in ds.followups.to_dicts() if f["child_conversation"] or not kora]
    for label, half in period.half_years():
        followups[label] = {}
        for kind in ("institution", "family_care", "home_based", "preventive"):
            children = {
                e["child_id"]
                for e in episodes
                if category[e["episode_id"]] == kind
                and any(
                    EpisodeSpan(0, e["start_date"], e["end_date"]).active_on(x) for x in _days(half)
                )
            }
            count = sum(
                1
                for f in held
                if category.get(f["episode_id"]) == kind and half.contains(f["date"])
            )
            followups[label][kind] = round(count / len(children), 6) if children else None
    return followups


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), periods())
def test_agrees_with_the_day_by_day_reference(ds, period):
    days_by_type, steps, moves, followups, all_followups = _reference(ds, period)
    total = evaluate(ds, period).as_dict()["total"]
    for t in TYPES:
        assert round(total["placed_aarsboern"]["by_type"][t] * period.days) == days_by_type[t]
    assert total["step_counts"] == steps
    assert {k: n for k, n in total["movements"]["moves"].items() if n} == moves
    assert total["followups_per_case"] == followups
    assert total["followups_all_per_case"] == all_followups
