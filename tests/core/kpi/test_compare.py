import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tests.core.kpi.build import dataset
from trappen.core.kpi import inference
from trappen.core.kpi.compare import HEADLINE_KEYS, METRIC_KEYS, PAIRED_METRICS, compare
from trappen.core.kpi.period import Period
from trappen.core.kpi.samples import child_sample
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
    out += [("complaints", "open_cases")]
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


def result(
    year: int, groups: dict[str, dict], group_by: str = "group", period: Period | None = None
) -> dict:
    period = period or Period.year(year)
    return {
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": period.days,
        },
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


def dump(out) -> str:
    return json.dumps(out.as_dict(), allow_nan=False)


def test_change_percent_and_did():
    before = result(
        2013, {"Pilot": constant(2013, 10.0), "Øvrige": constant(2013, 20.0, spending__total=0.0)}
    )
    after = result(
        2015, {"Pilot": constant(2015, 7.0), "Øvrige": constant(2015, 22.0, spending__total=5.0)}
    )
    out = compare(before, after, treated="Pilot", control="Øvrige")
    m = out.metric("placed_aarsboern.institution")
    assert (m.treated.before, m.treated.after, m.treated.change) == (10.0, 7.0, -3.0)
    assert m.treated.change_pct == -30.0 and m.control.change_pct == 10.0
    assert m.did == -5.0 and not m.per_year and m.treated.before_per_year is None
    assert m.label == "Placed full-year children, institution"
    spending = out.metric("spending.total")
    assert spending.per_year and spending.control.change_pct is None  # before was 0
    assert spending.control.after_per_year == 5.0  # 365 days: per year is the total
    keys = [m.key for m in out.metrics]
    assert keys == [k for k in METRIC_KEYS if k in keys]
    assert "share_of_placed.total" not in keys
    assert out.treated == "Pilot" and out.before.start == "2013-01-01" and out.equal_length
    assert out.paired is None and out.overlap is None
    dump(out)


def test_unequal_periods_are_compared_per_year():
    # KORA's "medio 2013" (181 days) against a whole year: the totals double, per year not.
    half = Period(Period.year(2013).start, Period.half(2013, 1).end)
    before = result(
        2013,
        {
            "P": constant(2013, 1.0, spending__total=100.0, complaints__count=2),
            "O": constant(2013, 1.0, spending__total=100.0, complaints__count=2),
        },
        period=half,
    )
    after = result(
        2015,
        {
            "P": constant(2015, 1.0, spending__total=180.0, complaints__count=4),
            "O": constant(2015, 1.0, spending__total=220.0, complaints__count=4),
        },
    )
    out = compare(before, after, treated="P", control="O")
    assert not out.equal_length and (out.before.days, out.after.days) == (181, 365)
    spending = out.metric("spending.total").treated
    assert spending.before == 100.0 and spending.before_per_year == pytest.approx(100 * 365 / 181)
    assert spending.change == pytest.approx(180 - 100 * 365 / 181)  # -21.7, not +80
    assert spending.change_pct == pytest.approx(100 * (180 / (100 * 365 / 181) - 1))
    assert out.metric("spending.total").did == pytest.approx(-40.0)
    complaints = out.metric("complaints.count").treated
    assert complaints.change == pytest.approx(4 - 2 * 365 / 181)
    assert not out.metric("placed_aarsboern.total").per_year  # an average, not a sum
    # the rate tests use person-time: 2 complaints in 181 days of 1 open case, 4 in 365
    rate = next(r for r in out.rates if r.key == "complaints.treated").test
    assert rate.a_years == pytest.approx(1.0) and rate.b_years == pytest.approx(181 / 365)
    assert rate.exact.value == pytest.approx((4 / 1.0) / (2 / (181 / 365)))


def test_overlapping_or_reversed_periods_are_refused():
    r13 = result(2013, {"P": constant(2013, 1.0), "O": constant(2013, 1.0)})
    r15 = result(2015, {"P": constant(2015, 1.0), "O": constant(2015, 1.0)})
    with pytest.raises(ValueError, match="overlap"):
        compare(r13, r13, treated="P", control="O")
    with pytest.raises(ValueError, match="reversed"):
        compare(r15, r13, treated="P", control="O")


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
    assert out.step_counts_date == {"before": "2013-12-31", "after": "2015-12-31"}
    assert out.followups_half_year == {"before": "2013H2", "after": "2015H2"}
    assert out.metric("step_counts.5").treated.before == 9
    assert out.metric("step_counts.5").treated.change == -3
    assert out.metric("followups_per_case.institution").treated.change == 1.5


def test_missing_and_undefined_values_give_none_not_errors():
    b = constant(2013, 1.0)
    b["share_of_placed"]["institution"] = None  # nothing placed
    b["unit_cost"]["total"] = float("nan")
    a = constant(2015, 1.0)
    del a["followups_per_case"]
    out = compare(
        result(2013, {"P": b, "O": b}), result(2015, {"P": a, "O": a}), treated="P", control="O"
    )
    assert out.metric("share_of_placed.institution").treated.change is None
    assert out.metric("share_of_placed.institution").did is None
    assert out.metric("unit_cost.total").treated.before is None
    assert out.metric("followups_per_case.institution").treated.after is None
    assert out.followups_half_year["after"] is None
    dump(out)


def test_refuses_bad_arguments():
    r = result(2013, {"P": constant(2013, 1.0), "O": constant(2013, 1.0)})
    s = result(2015, {"P": constant(2015, 1.0), "O": constant(2015, 1.0)})
    with pytest.raises(ValueError, match="different"):
        compare(r, s, treated="P", control="P")
    with pytest.raises(ValueError, match="no group"):
        compare(r, s, treated="P", control="X")
    with pytest.raises(ValueError, match="group_by"):
        compare(r, {**s, "group_by": "team"}, treated="P", control="O")
    with pytest.raises(ValueError, match="together"):
        compare(r, s, treated="P", control="O", before_units=r)


# ------------------------------------------------------------------ rates over person-time


def test_rate_tests_over_person_time_with_holm():
    b = constant(2013, 1.0, complaints__count=3, complaints__open_cases=10.0)
    o = constant(2013, 1.0, complaints__count=9, complaints__open_cases=12.0)
    a = constant(2015, 1.0, complaints__count=0, complaints__open_cases=0.0)
    out = compare(
        result(2013, {"P": b, "O": o}), result(2015, {"P": a, "O": a}), treated="P", control="O"
    )
    rates = {r.key: r for r in out.rates}
    assert set(rates) == {
        f"{m}.{k}"
        for m in ("complaints", "breakdowns")
        for k in ("before", "after", "treated", "control")
    }
    before = rates["complaints.before"]
    assert before.comparison == "between_groups" and before.a_label == "P, before"
    direct = inference.rate_test(3, 10.0, 9, 12.0)
    assert before.test.exact.p_value == pytest.approx(direct.exact.p_value)
    assert before.test.exact.value == pytest.approx((3 / 10) / (9 / 12))
    raw = [r.test.exact.p_value for r in out.rates]
    adjusted = inference.holm(raw)
    for r, q in zip(out.rates, adjusted, strict=True):
        assert r.test.exact.p_adjusted == (None if q is None else pytest.approx(q))
    assert all(
        r.test.exact.p_adjusted is None or r.test.exact.p_adjusted >= r.test.exact.p_value
        for r in out.rates
    )
    assert rates["complaints.treated"].test.exact.p_value is None  # no person-time after
    dump(out)


# ------------------------------------------------------------------ headline DiDs


def test_poisson_did_of_complaints_from_the_group_figures():
    def fig(year, count, cases):
        return constant(year, 1.0, complaints__count=count, complaints__open_cases=cases)

    out = compare(
        result(2013, {"P": fig(2013, 4, 20.0), "O": fig(2013, 10, 40.0)}),
        result(2015, {"P": fig(2015, 3, 25.0), "O": fig(2015, 12, 45.0)}),
        treated="P",
        control="O",
    )
    head = {h.key: h for h in out.headline}
    assert tuple(head) == HEADLINE_KEYS
    did = head["complaints.rate"].did
    ratio = (3 / 25) / (4 / 20) / ((12 / 45) / (10 / 40))
    se = math.sqrt(1 / 4 + 1 / 3 + 1 / 10 + 1 / 12)
    assert (did.scale, did.method) == ("ratio", "poisson_glm")
    assert did.value == pytest.approx(ratio)
    assert did.p_value == pytest.approx(2 * stats.norm.sf(abs(math.log(ratio)) / se), rel=1e-5)
    assert did.p_adjusted >= did.p_value
    assert head["complaints.rate"].treated.before == pytest.approx(4 / 20)
    assert head["share_of_placed.institution"].did.reason == "no child-level data"
    assert head["complaints.rate"].permutation is None


def _districts(year: int, values: dict[str, tuple[int, float, float, float]]) -> dict:
    """district → (complaints, open cases, institution årsbørn, placed årsbørn)."""
    return result(
        year,
        {
            name: constant(
                year,
                1.0,
                complaints__count=c,
                complaints__open_cases=cases,
                placed_aarsboern__institution=inst,
                placed_aarsboern__total=placed,
                share_of_placed__institution=inst / placed,
            )
            for name, (c, cases, inst, placed) in values.items()
        },
        "district",
    )


def test_permutation_over_districts_and_paired_tests():
    groups = {"a": "P", "b": "P", "c": "O", "d": "O", "e": "O"}
    before_u = _districts(
        2013,
        {
            "a": (3, 10.0, 4.0, 8.0),
            "b": (2, 8.0, 3.0, 5.0),
            "c": (5, 12.0, 2.0, 6.0),
            "d": (1, 9.0, 3.0, 7.0),
            "e": (4, 11.0, 1.0, 4.0),
        },
    )
    after_u = _districts(
        2015,
        {
            "a": (1, 10.0, 2.0, 8.0),
            "b": (1, 9.0, 1.0, 5.0),
            "c": (6, 12.0, 2.0, 6.0),
            "d": (2, 10.0, 3.0, 6.0),
            "e": (3, 11.0, 2.0, 5.0),
        },
    )
    agg_b = result(2013, {"P": constant(2013, 1.0), "O": constant(2013, 1.0)})
    agg_a = result(2015, {"P": constant(2015, 1.0), "O": constant(2015, 1.0)})
    out = compare(
        agg_b,
        agg_a,
        treated="P",
        control="O",
        before_units=before_u,
        after_units=after_u,
        unit_groups=groups,
    )
    assert out.districts == (2, 3)
    share = next(h for h in out.headline if h.key == "share_of_placed.institution")
    perm = share.permutation
    assert perm.method == "permutation" and perm.resamples == math.comb(5, 2)
    direct = inference.permutation_did(
        [4, 3, 2, 3, 1],
        [8, 5, 6, 7, 4],
        [2, 1, 2, 3, 2],
        [8, 5, 6, 6, 5],
        [True, True, False, False, False],
    )
    assert perm.value == pytest.approx(direct.value) and perm.p_value == direct.p_value
    complaints = next(h for h in out.headline if h.key == "complaints.rate").did
    assert complaints.method in ("poisson_glm", "quasi_poisson_glm") and complaints.scale == "ratio"
    assert [p.key for p in out.paired] == list(PAIRED_METRICS)
    placed = out.paired[0].treated
    assert [u.unit for u in placed.units] == ["a", "b"]
    rate = next(p for p in out.paired if p.key == "complaints.share")
    assert rate.per_year
    dump(out)
    with pytest.raises(ValueError, match="district"):
        compare(
            agg_b,
            agg_a,
            treated="P",
            control="O",
            before_units=agg_b,
            after_units=agg_a,
            unit_groups={},
        )


def test_bootstrap_of_shares_from_the_children():
    # Pilot: one child at an institution in 2013 moved to foster care in 2015, one in foster
    # care throughout; Øvrige: two children in foster care, one at an institution in 2015.
    ds = dataset(
        districts=[("N", "Pilot"), ("S", "Øvrige")],
        children=[("c1", "N"), ("c2", "N"), ("c3", "S"), ("c4", "S"), ("c5", "S")],
        episodes=[
            {
                "child_id": "c1",
                "step": 5,
                "start": "2013-01-01",
                "end": "2015-01-01",
                "placement_type": "residential_institution",
                "daily_cost": 3000,
            },
            {
                "child_id": "c1",
                "step": 4,
                "start": "2015-01-01",
                "placement_type": "foster_ordinary",
                "daily_cost": 1000,
            },
            {
                "child_id": "c2",
                "step": 4,
                "start": "2013-01-01",
                "placement_type": "foster_ordinary",
                "daily_cost": 1000,
            },
            {
                "child_id": "c3",
                "step": 4,
                "start": "2013-01-01",
                "placement_type": "foster_ordinary",
                "daily_cost": 1000,
            },
            {
                "child_id": "c4",
                "step": 4,
                "start": "2013-01-01",
                "placement_type": "foster_ordinary",
                "daily_cost": 900,
            },
            {
                "child_id": "c5",
                "step": 5,
                "start": "2015-03-01",
                "placement_type": "residential_institution",
                "daily_cost": 2500,
            },
        ],
    )
    from trappen.core.kpi import evaluate

    before, after = Period.year(2013), Period.year(2015)
    children = child_sample(ds, before, after, group_by="group", treated="Pilot", control="Øvrige")
    assert children.in_both(True) == (2, 2) and children.in_both(False) == (2, 3)
    out = compare(
        evaluate(ds, before).as_dict(),
        evaluate(ds, after).as_dict(),
        treated="Pilot",
        control="Øvrige",
        children=children,
        resamples=300,
    )
    share = next(h for h in out.headline if h.key == "share_of_placed.institution")
    assert share.did.method == "bootstrap" and share.did.scale == "absolute"
    assert share.did.value == pytest.approx(out.metric("share_of_placed.institution").did)
    cost = next(h for h in out.headline if h.key == "unit_cost.total")
    assert cost.did.value == pytest.approx(out.metric("unit_cost.total").did)
    assert share.did.low <= share.did.value <= share.did.high
    assert out.overlap.treated == (2, 2)
    dump(out)


# ------------------------------------------------------------------ laws

value = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
)


@st.composite
def figures_for(draw, year: int) -> dict:
    return figures({path: draw(value) for path in leaves(year)})


@settings(max_examples=40, deadline=None)
@given(tb=figures_for(2013), ta=figures_for(2015), cb=figures_for(2013), ca=figures_for(2015))
def test_did_is_antisymmetric(tb, ta, cb, ca):
    before, after = result(2013, {"T": tb, "C": cb}), result(2015, {"T": ta, "C": ca})
    one = compare(before, after, treated="T", control="C")
    two = compare(before, after, treated="C", control="T")
    for m in one.metrics:
        other = two.metric(m.key).did
        assert (m.did is None) == (other is None)
        if m.did is not None:
            assert m.did == -other
        assert m.treated == two.metric(m.key).control
    for h, k in zip(one.headline, two.headline, strict=True):
        if h.did.value is not None and h.did.scale == "ratio":
            assert k.did.value == pytest.approx(1 / h.did.value)
        for est in (h.did, h.permutation):
            assert est is None or est.p_value is None or 0 <= est.p_value <= 1
    for r in one.rates:
        for est in (r.test.exact, r.test.z):
            assert est.p_value is None or 0.0 <= est.p_value <= 1.0
            assert est.p_value is not None or est.reason
    dump(one)


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
    for m in out.metrics:
        if m.did is not None:
            scale = max(1.0, abs(m.treated.before), abs(m.control.before), abs(shift))
            assert abs(m.did) <= 1e-9 * scale


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
    res = inference.paired_tests([x for x, _ in pairs], [y for _, y in pairs])
    for t in (res.t_test, res.wilcoxon):
        assert t.p_value is None or 0.0 <= t.p_value <= 1.0
        assert t.p_value is not None or t.reason
