import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from trappen.core.kpi.compare import (
    METRIC_KEYS,
    PAIRED_METRICS,
    compare,
    fisher,
    paired_tests,
    two_proportion_z,
)
from trappen.core.staircase import PlacementType

SPLIT = ("placed_aarsboern", "placed_children", "share_of_placed", "spending", "unit_cost")
STEPS = ("0", "1", "2", "3", "4", "5", "under_clarification", "total")
CATS = ("institution", "family_care", "home_based", "preventive")


def leaves(year: int) -> list[tuple[str, ...]]:
    """Every numeric leaf of one FIGURES dict (two dates / half-years in the year)."""
    out: list[tuple[str, ...]] = []
    for s in SPLIT:
        out += [(s, k) for k in ("total", "institution", "family_care", "home_based")]
        out += [(s, "by_type", t.value) for t in PlacementType]
    out += [("breakdowns", "count"), ("breakdowns", "per_placed_aarsboern")]
    out += [("complaints", "count"), ("complaints", "cases"), ("complaints", "share")]
    for when in (f"{year}-06-30", f"{year}-12-31"):
        out += [("step_counts", when, s) for s in STEPS]
    for half in (f"{year}H1", f"{year}H2"):
        out += [("followups_per_case", half, c) for c in CATS]
    return out


def figures(values: dict[tuple[str, ...], float | int]) -> dict:
    out: dict = {"movements": {"moves": {}, "down": 0, "up": 0}, "caseload": {}}
    for path, value in values.items():
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return out


def result(year: int, groups: dict[str, dict], group_by: str = "group") -> dict:
    return {
        "period": {"from": f"{year}-01-01", "to": f"{year}-12-31", "days": 365},
        "group_by": group_by,
        "prices": None,
        "groups": groups,
        "total": {},
    }


def constant(year: int, value: float, **override: float) -> dict:
    """A FIGURES dict with every leaf `value`, except the leaves named `a.b` in override."""
    vals = {p: value for p in leaves(year)}
    for key, v in override.items():
        path = tuple(key.split("__"))
        vals[path] = v
    return figures(vals)


def test_change_percent_and_did():
    before = result(
        2013, {"Pilot": constant(2013, 10.0), "Øvrige": constant(2013, 20.0, spending__total=0.0)}
    )
    after = result(
        2015, {"Pilot": constant(2015, 7.0), "Øvrige": constant(2015, 22.0, spending__total=5.0)}
    )
    out = compare(before, after, treated="Pilot", control="Øvrige")
    m = out["metrics"]["placed_aarsboern.institution"]
    assert m["treated"] == {"before": 10.0, "after": 7.0, "change": -3.0, "change_pct": -30.0}
    assert m["control"] == {"before": 20.0, "after": 22.0, "change": 2.0, "change_pct": 10.0}
    assert m["did"] == -5.0
    assert m["label"] == "Placed full-year children, institution"
    assert out["metrics"]["spending.total"]["control"]["change_pct"] is None  # before was 0
    assert list(out["metrics"]) == [k for k in METRIC_KEYS if k in out["metrics"]]
    assert "share_of_placed.total" not in out["metrics"]
    assert "placed_aarsboern.by_type.foster_network" in out["metrics"]
    assert out["treated"] == "Pilot" and out["before"]["from"] == "2013-01-01"
    assert out["paired"] is None
    json.dumps(out, allow_nan=False)


def test_point_in_time_metrics_use_the_last_date_and_half_year():
    b = constant(2013, 1.0)
    b["step_counts"]["2013-12-31"]["5"] = 9
    b["step_counts"]["2013-06-30"]["5"] = 100
    b["followups_per_case"]["2013H2"]["institution"] = 4.5
    a = constant(2015, 1.0)
    a["step_counts"]["2015-12-31"]["5"] = 6
    a["followups_per_case"]["2015H2"]["institution"] = 6.0
    out = compare(
        result(2013, {"P": b, "O": b}), result(2015, {"P": a, "O": a}), treated="P", control="O"
    )
    assert out["reference"] == {
        "step_counts_date": {"before": "2013-12-31", "after": "2015-12-31"},
        "followups_half_year": {"before": "2013H2", "after": "2015H2"},
    }
    assert out["metrics"]["step_counts.5"]["treated"]["before"] == 9
    assert out["metrics"]["step_counts.5"]["treated"]["change"] == -3
    assert out["metrics"]["followups_per_case.institution"]["treated"]["change"] == 1.5


def test_missing_and_undefined_values_give_none_not_errors():
    b = constant(2013, 1.0)
    b["share_of_placed"]["institution"] = None  # nothing placed
    b["unit_cost"]["total"] = float("nan")
    a = constant(2015, 1.0)
    del a["followups_per_case"]
    out = compare(
        result(2013, {"P": b, "O": b}), result(2015, {"P": a, "O": a}), treated="P", control="O"
    )
    m = out["metrics"]
    assert m["share_of_placed.institution"]["treated"]["change"] is None
    assert m["share_of_placed.institution"]["did"] is None
    assert m["unit_cost.total"]["treated"]["before"] is None
    assert m["followups_per_case.institution"]["treated"]["after"] is None
    assert out["reference"]["followups_half_year"]["after"] is None
    json.dumps(out, allow_nan=False)


def test_refuses_bad_arguments():
    r = result(2013, {"P": constant(2013, 1.0), "O": constant(2013, 1.0)})
    with pytest.raises(ValueError, match="different"):
        compare(r, r, treated="P", control="P")
    with pytest.raises(ValueError, match="no group"):
        compare(r, r, treated="P", control="X")
    with pytest.raises(ValueError, match="group_by"):
        compare(r, {**r, "group_by": "team"}, treated="P", control="O")
    with pytest.raises(ValueError, match="together"):
        compare(r, r, treated="P", control="O", before_units=r)


# ------------------------------------------------------------------ two proportions


def fisher_by_hand(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher: the sum of the hypergeometric tables no likelier than the one seen."""
    r1, c1, n = a + b, a + c, a + b + c + d

    def prob(x: int) -> float:
        return math.comb(c1, x) * math.comb(n - c1, r1 - x) / math.comb(n, r1)

    seen = prob(a)
    lo, hi = max(0, r1 + c1 - n), min(r1, c1)
    return sum(prob(x) for x in range(lo, hi + 1) if prob(x) <= seen * (1 + 1e-7))


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [(3, 10, 1, 6), (0, 8, 5, 9), (12, 40, 3, 35), (1, 2, 1, 2)]
)
def test_fisher_against_the_hypergeometric_sum(x1, n1, x2, n2):
    res = fisher(x1, n1, x2, n2)
    assert res["p_value"] == pytest.approx(fisher_by_hand(x1, n1 - x1, x2, n2 - x2))
    assert res["test"] == "fisher_exact" and res["reason"] is None


def test_fisher_known_value():
    # [[3, 7], [0, 5]]: rows of 10 and 5, a column of 3. P(x in the first cell) =
    # C(3, x) C(12, 10 - x) / C(15, 10) = 66, 660, 1485, 792 (/ 3003) for x = 0..3; the tables
    # no likelier than the one seen (792) are x = 0, 1, 3: p = 1518 / 3003 = 0.50549...
    assert fisher(3, 10, 0, 5)["p_value"] == pytest.approx(1518 / 3003)
    assert fisher(3, 10, 0, 5)["odds_ratio"] is None  # infinite: not JSON


def test_z_test_by_hand():
    res = two_proportion_z(30, 100, 20, 100)
    pooled = 0.25
    z = 0.1 / math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert res["statistic"] == pytest.approx(z)  # 1.63299...
    assert res["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)))  # 0.10247...
    assert res["p_value"] == pytest.approx(0.1024704, abs=1e-6)


def test_zero_counts_and_bad_bases():
    assert two_proportion_z(0, 10, 0, 20)["p_value"] == 1.0
    assert "both shares are 0" in two_proportion_z(0, 10, 0, 20)["reason"]
    assert two_proportion_z(10, 10, 20, 20)["p_value"] == 1.0
    assert fisher(0, 10, 0, 20)["p_value"] == 1.0
    for res in (two_proportion_z(1, 0, 0, 5), fisher(1, 0, 0, 5)):
        assert res["p_value"] is None and "n is 0" in res["reason"]
    for res in (two_proportion_z(6, 5, 0, 5), fisher(6, 5, 0, 5)):
        assert res["p_value"] is None and "exceeds" in res["reason"]


def test_proportion_tests_in_the_result():
    b = constant(2013, 1.0, complaints__count=3, complaints__cases=10)
    o = constant(2013, 1.0, complaints__count=1, complaints__cases=6, breakdowns__count=0)
    a = constant(2015, 1.0, complaints__count=0, complaints__cases=0)
    out = compare(
        result(2013, {"P": b, "O": o}), result(2015, {"P": a, "O": a}), treated="P", control="O"
    )
    t = out["tests"]
    assert set(t) == {
        f"{m}.{k}"
        for m in ("complaints", "breakdowns")
        for k in ("before", "after", "treated", "control")
    }
    before = t["complaints.before"]
    assert before["comparison"] == "between_groups" and before["period"] == "before"
    assert before["a"] == {"label": "P, before", "count": 3, "n": 10, "share": 0.3}
    assert before["b"]["count"] == 1 and before["b"]["n"] == 6
    assert before["fisher"]["p_value"] == pytest.approx(fisher_by_hand(3, 7, 1, 5))
    assert before["z"]["p_value"] == pytest.approx(two_proportion_z(3, 10, 1, 6)["p_value"])
    treated = t["complaints.treated"]
    assert treated["group"] == "treated" and treated["b"]["label"] == "P, after"
    assert treated["fisher"]["p_value"] is None and treated["b"]["share"] is None  # no cases
    # breakdowns against placed children (1 of 1 against 0 of 1)
    assert t["breakdowns.before"]["b"]["count"] == 0
    assert t["breakdowns.before"]["a"]["n"] == 1
    json.dumps(out, allow_nan=False)


def test_fractional_counts_are_not_tested():
    b = constant(2013, 1.5)  # complaints 1.5 of 1.5 cases: not whole numbers
    out = compare(
        result(2013, {"P": b, "O": b}), result(2015, {"P": b, "O": b}), treated="P", control="O"
    )
    assert out["tests"]["complaints.before"]["z"]["p_value"] is None
    assert "whole number" in out["tests"]["complaints.before"]["z"]["reason"]


# ------------------------------------------------------------------ paired


def test_paired_by_hand():
    res = paired_tests([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 5.0, 4.0])
    d = [1.0, 2.0, 2.0, 0.0]
    mean = sum(d) / 4
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / 3)
    t = mean / (sd / 2)  # 2.611...
    assert res["n"] == 4 and res["mean_difference"] == 1.25
    assert res["t_test"]["statistic"] == pytest.approx(t)
    assert res["t_test"]["p_value"] == pytest.approx(2 * stats.t.sf(t, df=3))
    w = stats.wilcoxon([2.0, 4.0, 5.0, 4.0], [1.0, 2.0, 3.0, 4.0])
    assert res["wilcoxon"]["p_value"] == pytest.approx(w.pvalue)


def test_paired_degenerate_cases():
    one = paired_tests([1.0], [2.0])
    assert one["t_test"]["p_value"] is None and "fewer than 2" in one["t_test"]["reason"]
    same = paired_tests([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert (
        same["wilcoxon"]["p_value"] is None
        and "all differences are 0" in same["wilcoxon"]["reason"]
    )
    shift = paired_tests([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])  # constant difference: no variance
    assert shift["t_test"]["p_value"] is None and "no variance" in shift["t_test"]["reason"]
    assert 0.0 <= shift["wilcoxon"]["p_value"] <= 1.0
    json.dumps([one, same, shift], allow_nan=False)


def test_paired_over_districts():
    def unit(year, placed, inst_share, complaints_share):
        return constant(
            year,
            1.0,
            placed_aarsboern__total=placed,
            share_of_placed__institution=inst_share,
            complaints__share=complaints_share,
        )

    before_u = result(
        2013,
        {
            "a": unit(2013, 10.0, 0.5, 0.1),
            "b": unit(2013, 8.0, 0.4, 0.2),
            "c": unit(2013, 6.0, 0.3, 0.0),
            "x": unit(2013, 9.0, None, 0.1),  # nothing placed: no share
        },
        "district",
    )
    after_u = result(
        2015,
        {
            "a": unit(2015, 7.0, 0.25, 0.1),
            "b": unit(2015, 7.0, 0.2, 0.1),
            "c": unit(2015, 2.0, 0.1, 0.0),
            "x": unit(2015, 9.0, 0.2, 0.1),
        },
        "district",
    )
    groups = {"a": "P", "b": "P", "c": "P", "x": "O"}
    agg = result(2013, {"P": constant(2013, 1.0), "O": constant(2013, 1.0)})
    out = compare(
        agg,
        agg,
        treated="P",
        control="O",
        before_units=before_u,
        after_units=after_u,
        unit_groups=groups,
    )
    paired = out["paired"]
    assert paired["unit"] == "district" and list(paired["metrics"]) == list(PAIRED_METRICS)
    placed = paired["metrics"]["placed_aarsboern.total"]["treated"]
    assert [u["unit"] for u in placed["units"]] == ["a", "b", "c"]
    assert placed["n"] == 3 and placed["mean_difference"] == pytest.approx(-8.0 / 3)
    expected = stats.ttest_rel([7.0, 7.0, 2.0], [10.0, 8.0, 6.0])
    assert placed["t_test"]["p_value"] == pytest.approx(expected.pvalue)
    control = paired["metrics"]["share_of_placed.institution"]["control"]
    assert control["n"] == 0 and control["excluded"] == ["x"]
    assert control["t_test"]["p_value"] is None
    with pytest.raises(ValueError, match="district"):
        compare(
            agg, agg, treated="P", control="O", before_units=agg, after_units=agg, unit_groups={}
        )
    json.dumps(out, allow_nan=False)


# ------------------------------------------------------------------ laws

value = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
)


@st.composite
def figures_for(draw, year: int) -> dict:
    return figures({path: draw(value) for path in leaves(year)})


@st.composite
def counts(draw) -> dict:
    n = draw(st.integers(min_value=0, max_value=60))
    return {"count": draw(st.integers(min_value=0, max_value=n)), "cases": n}


@settings(max_examples=40, deadline=None)
@given(tb=figures_for(2013), ta=figures_for(2015), cb=figures_for(2013), ca=figures_for(2015))
def test_did_is_antisymmetric(tb, ta, cb, ca):
    before, after = result(2013, {"T": tb, "C": cb}), result(2015, {"T": ta, "C": ca})
    one = compare(before, after, treated="T", control="C")
    two = compare(before, after, treated="C", control="T")
    for key, m in one["metrics"].items():
        other = two["metrics"][key]["did"]
        assert (m["did"] is None) == (other is None)
        if m["did"] is not None:
            assert m["did"] == -other
        assert m["treated"] == two["metrics"][key]["control"]
    json.dumps(one, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    tb=figures_for(2013),
    cb=figures_for(2013),
    shift=st.floats(min_value=-1000, max_value=1000, allow_nan=False),
)
def test_did_is_zero_when_both_groups_change_equally(tb, cb, shift):
    def moved(f: dict) -> dict:
        vals = {}
        for path in leaves(2013):
            node = f
            for part in path:
                node = node[part]
            new = tuple(p.replace("2013", "2015") for p in path)
            vals[new] = None if node is None else node + shift
        return figures(vals)

    out = compare(
        result(2013, {"T": tb, "C": cb}),
        result(2015, {"T": moved(tb), "C": moved(cb)}),
        treated="T",
        control="C",
    )
    for m in out["metrics"].values():
        if m["did"] is not None:
            scale = max(1.0, abs(m["treated"]["before"]), abs(m["control"]["before"]), abs(shift))
            assert abs(m["did"]) <= 1e-9 * scale


@settings(max_examples=40, deadline=None)
@given(t=figures_for(2013), c=figures_for(2013))
def test_identical_periods_change_nothing(t, c):
    r = result(2013, {"T": t, "C": c})
    out = compare(r, r, treated="T", control="C")
    for m in out["metrics"].values():
        for role in ("treated", "control"):
            side = m[role]
            if side["before"] is not None:
                assert side["change"] == 0
                assert side["change_pct"] in (0, None)
        assert m["did"] in (0, None)


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(counts(), min_size=4, max_size=4),
    breaks=st.lists(counts(), min_size=4, max_size=4),
)
def test_p_values_are_probabilities(groups, breaks):
    figs = []
    for g, b in zip(groups, breaks, strict=True):
        f = constant(2013, 1.0)
        f["complaints"].update(g)
        f["breakdowns"]["count"] = b["count"]
        f["placed_children"]["total"] = b["cases"]
        figs.append(f)
    out = compare(
        result(2013, {"T": figs[0], "C": figs[1]}),
        result(2015, {"T": figs[2], "C": figs[3]}),
        treated="T",
        control="C",
    )
    for test in out["tests"].values():
        for res in (test["fisher"], test["z"]):
            p = res["p_value"]
            assert p is None or 0.0 <= p <= 1.0
            assert (p is None) <= (res["reason"] is not None)
    json.dumps(out, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=100, allow_nan=False),
            st.floats(min_value=0, max_value=100, allow_nan=False),
        ),
        max_size=12,
    )
)
def test_paired_p_values_are_probabilities(pairs):
    res = paired_tests([x for x, _ in pairs], [y for _, y in pairs])
    for t in (res["t_test"], res["wilcoxon"]):
        assert t["p_value"] is None or 0.0 <= t["p_value"] <= 1.0
        assert t["p_value"] is not None or t["reason"]
    json.dumps(res, allow_nan=False)
