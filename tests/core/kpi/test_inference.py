"""The comparison's inference against values computed independently: closed forms, scipy,
statsmodels' formula interface and exact enumeration (docs/statistics.md)."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from trappen.core.kpi import inference as inf


def test_poisson_did_is_the_saturated_models_closed_form():
    # treated before/after, control before/after: counts over person-years
    y, t = [3, 5, 10, 14], [10.0, 20.0, 30.0, 40.0]
    est = inf.poisson_did(y, t, [1, 1, 0, 0], [0, 1, 0, 1])
    ratio = (5 / 20) / (3 / 10) / ((14 / 40) / (10 / 30))
    se = math.sqrt(sum(1 / v for v in y))
    assert est.value == pytest.approx(ratio)
    assert est.low == pytest.approx(ratio * math.exp(-1.959964 * se), rel=1e-5)
    assert est.high == pytest.approx(ratio * math.exp(1.959964 * se), rel=1e-5)
    assert est.p_value == pytest.approx(2 * stats.norm.sf(abs(math.log(ratio)) / se))
    assert (est.scale, est.estimand) == ("ratio", "ratio of rate ratios")


def test_poisson_did_over_districts_against_the_formula_interface():
    rng = np.random.default_rng(5)
    treated = np.repeat([1, 1, 0, 0, 0, 0], 2)
    after = np.tile([0, 1], 6)
    years = rng.uniform(20, 60, 12)
    counts = rng.poisson(years * np.where(treated, 0.2, 0.3) * rng.uniform(0.3, 2.5, 12))
    est = inf.poisson_did(counts, years, treated, after)
    frame = pd.DataFrame({"y": counts, "g": treated, "a": after, "t": years})
    fit = smf.glm("y ~ g * a", frame, family=sm.families.Poisson(), offset=np.log(frame["t"])).fit(
        scale="X2"
    )
    dispersion = fit.scale
    assert dispersion > 1  # the districts differ more than Poisson: the interval widens
    assert est.method == "quasi_poisson_glm"
    assert est.value == pytest.approx(math.exp(fit.params["g:a"]))
    assert est.p_value == pytest.approx(fit.pvalues["g:a"])
    lo, hi = np.exp(fit.conf_int().loc["g:a"])
    assert (est.low, est.high) == (pytest.approx(lo), pytest.approx(hi))


def test_poisson_did_without_events_in_a_cell_gives_a_reason():
    est = inf.poisson_did([0, 5, 10, 14], [10, 20, 30, 40], [1, 1, 0, 0], [0, 1, 0, 1])
    assert est.value is None and est.p_value is None and "no events" in est.reason


def test_exact_rate_test_against_the_binomial():
    test = inf.rate_test(3, 40.0, 20, 60.0)
    n, share = 23, 40 / 100
    # two-sided: every outcome no likelier than the one observed
    pmf = [stats.binom.pmf(k, n, share) for k in range(n + 1)]
    p = sum(q for q in pmf if q <= pmf[3] * (1 + 1e-7))
    assert test.exact.p_value == pytest.approx(p)
    assert test.exact.value == pytest.approx((3 / 40) / (20 / 60))
    low = stats.beta.ppf(0.025, 3, n - 3 + 1)
    high = stats.beta.ppf(0.975, 3 + 1, n - 3)
    to_ratio = lambda q: q / (1 - q) * (60 / 40)  # noqa: E731
    assert test.exact.low == pytest.approx(to_ratio(low))
    assert test.exact.high == pytest.approx(to_ratio(high))


def test_rate_z_test_only_at_large_expected_counts_with_continuity_correction():
    small = inf.rate_test(1, 40.0, 2, 60.0)
    assert small.z.p_value is None and "expected counts below 5" in small.z.reason
    large = inf.rate_test(30, 40.0, 50, 60.0)
    e = 80 * 0.4
    z = (abs(30 - e) - 0.5) / math.sqrt(80 * 0.4 * 0.6)
    assert large.z.p_value == pytest.approx(2 * stats.norm.sf(z))


def test_rate_test_edge_cases():
    assert inf.rate_test(0, 10.0, 0, 10.0).exact.reason == "no events in either: nothing to compare"
    assert inf.rate_test(2, 0.0, 1, 10.0).exact.p_value is None
    unbounded = inf.rate_test(3, 10.0, 0, 10.0).exact
    assert unbounded.high is None and unbounded.p_value is not None


def _shares(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    den_b = rng.integers(1, 300, n).astype(float)
    den_a = rng.integers(1, 300, n).astype(float)
    return (
        np.floor(den_b * rng.random(n)),
        den_b,
        np.floor(den_a * rng.random(n)),
        den_a,
        np.arange(n) < n // 3,
    )


def test_bootstrap_with_a_fixed_seed_is_the_documented_loop():
    nb, db, na, da, treated = _shares(30, 3)
    est = inf.bootstrap_did(nb, db, na, da, treated, resamples=400, seed=11)
    rng = np.random.default_rng(11)
    rows = {True: np.flatnonzero(treated), False: np.flatnonzero(~treated)}
    values = []
    for _ in range(400):
        u = rng.random(30)
        change, offset = {}, 0
        for group in (True, False):
            size = len(rows[group])
            pick = rows[group][np.floor(u[offset : offset + size] * size).astype(int)]
            offset += size
            change[group] = na[pick].sum() / da[pick].sum() - nb[pick].sum() / db[pick].sum()
        values.append(change[True] - change[False])
    assert est.value == pytest.approx(inf.ratio_did(nb, db, na, da, treated))
    assert est.low == pytest.approx(np.quantile(values, 0.025))
    assert est.high == pytest.approx(np.quantile(values, 0.975))
    assert est.resamples == 400
    again = inf.bootstrap_did(nb, db, na, da, treated, resamples=400, seed=11)
    assert again == est


def test_bootstrap_agrees_with_scipys_percentile_bootstrap():
    nb, db, na, da, treated = _shares(90, 8)
    est = inf.bootstrap_did(nb, db, na, da, treated, resamples=4000)
    samples = [np.flatnonzero(treated), np.flatnonzero(~treated)]

    def did(t, c):
        t, c = t.astype(int), c.astype(int)
        one = na[t].sum() / da[t].sum() - nb[t].sum() / db[t].sum()
        two = na[c].sum() / da[c].sum() - nb[c].sum() / db[c].sum()
        return one - two

    ref = stats.bootstrap(
        samples,
        did,
        vectorized=False,
        n_resamples=4000,
        method="percentile",
        rng=np.random.default_rng(1),
    )
    assert est.low == pytest.approx(ref.confidence_interval.low, abs=0.02)
    assert est.high == pytest.approx(ref.confidence_interval.high, abs=0.02)


def test_permutation_over_a_small_design_by_enumeration():
    nb, db, na, da = ([4, 1, 6, 2, 3], [10, 8, 12, 9, 7], [2, 3, 5, 4, 1], [9, 9, 11, 10, 8])
    treated = np.array([True, True, False, False, False])
    est = inf.permutation_did(nb, db, na, da, treated)

    def did(chosen: set[int]) -> float:
        def change(units):
            return sum(na[i] for i in units) / sum(da[i] for i in units) - sum(
                nb[i] for i in units
            ) / sum(db[i] for i in units)

        return change(chosen) - change(set(range(5)) - chosen)

    observed = did({0, 1})
    all_ = [did(set(c)) for c in itertools.combinations(range(5), 2)]
    assert len(all_) == 10 == est.resamples
    assert est.value == pytest.approx(observed)
    assert est.p_value == pytest.approx(sum(abs(v) >= abs(observed) - 1e-12 for v in all_) / 10)
    assert inf.assignments(12, 4).shape == (495, 12)


def test_holm_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    order = sorted(range(4), key=lambda i: p[i])
    expected, running = [0.0] * 4, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (4 - rank) * p[i]))
        expected[i] = running
    assert inf.holm(p) == pytest.approx(expected)
    assert inf.holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]))
    assert inf.holm([None, 0.2]) == [None, 0.2]


def test_equal_float_differences_have_no_variance():
    result = inf.paired_tests([0.2, 0.1], [0.3, 0.2])
    assert result.t_test.p_value is None
    assert result.t_test.reason == "all differences are equal: no variance"
    assert result.mean_difference == pytest.approx(0.1)


def test_wilcoxon_ties_from_float_noise_are_exact():
    before = [0.1, 0.2, 0.7, 0.3, 1.1, 0.4, 0.15, 0.25, 0.6]
    after = [0.2, 0.3, 0.8, 0.5, 1.4, 0.6, 0.35, 0.15, 0.9]
    result = inf.paired_tests(before, after)
    naive = stats.wilcoxon(after, before)  # float noise splits the tied 0.1s
    exact = [Fraction(str(a)) - Fraction(str(b)) for a, b in zip(after, before, strict=True)]
    reference = stats.wilcoxon([float(d) for d in exact], method=stats.PermutationMethod())
    assert result.w_statistic == 2.5
    assert result.wilcoxon.p_value == pytest.approx(float(reference.pvalue)) == 10 / 512
    assert naive.pvalue != pytest.approx(result.wilcoxon.p_value)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=2, max_size=9))
def test_signed_rank_p_is_the_enumerated_sign_flip_distribution(values):
    diffs = [Fraction(v, 2) for v in values]
    nonzero = [d for d in diffs if d]
    if not nonzero:
        return
    w, p = inf.signed_rank(diffs)
    ranks = stats.rankdata([abs(float(d)) for d in nonzero])
    total = ranks.sum()
    observed = min(
        ranks[[d > 0 for d in nonzero]].sum(), total - ranks[[d > 0 for d in nonzero]].sum()
    )
    sums = [
        sum(r for r, s in zip(ranks, signs, strict=True) if s)
        for signs in itertools.product([0, 1], repeat=len(nonzero))
    ]
    tail = sum(s <= observed + 1e-9 for s in sums)
    assert w == pytest.approx(observed)
    assert p == pytest.approx(min(1.0, 2 * tail / len(sums)))


def test_docs_worked_examples():
    # docs/statistics.md: Fisher on 3 of 120 against 14 of 210, the paired t-test of four
    # districts' changes
    fisher = inf.fisher(3, 120, 14, 210)
    assert round(fisher.p_value, 3) == 0.123 and round(fisher.value, 2) == 0.36
    paired = inf.paired_tests([20, 18, 15, 12], [14, 13, 12, 13])
    assert round(paired.t_statistic, 2) == -2.10 and round(paired.t_test.p_value, 3) == 0.127
    assert paired.wilcoxon.p_value == 0.25
    rates = inf.rate_test(3, 40.0, 20, 60.0)
    assert round(rates.exact.value, 3) == 0.225 and round(rates.exact.p_value, 4) == 0.0091
    assert (round(rates.exact.low, 3), round(rates.exact.high, 3)) == (0.043, 0.759)
    assert round(rates.z.p_value, 3) == 0.015


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=20))
def test_holm_is_statsmodels_holm(p):
    assert inf.holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]))
