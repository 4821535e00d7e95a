"""Inference for the comparison of two groups over two periods (docs/statistics.md).

Every function returns an `Estimate`: what is estimated (`estimand`) on which `scale`
("ratio": 1 is no difference; "absolute": 0 is), by which `method`, the value, its 95 %
interval and a two-sided p-value, or a `reason` why there is none. Nothing here raises on
data: a degenerate input gives an Estimate with a reason.

- `poisson_did`: the difference-in-differences of a rate as a ratio of rate ratios, from a
  Poisson GLM (statsmodels) with a group × period interaction and log person-time as offset;
  with more than one unit per group and period, over-dispersion between the units widens it
  (quasi-Poisson, Pearson χ² scale, never below 1).
- `rate_test`: two rates over person-time, the exact conditional binomial test
  (`scipy.stats.binomtest`) with the rate ratio and its exact interval; the normal
  approximation (continuity-corrected) only when both expected counts are at least 5.
- `bootstrap_did`: the DiD of a ratio of sums (a share, a unit cost) with a percentile
  interval from resampling units (children) within each group, seeded and vectorised.
- `permutation_did`: the same DiD against every possible choice of treated units (e.g. 495
  ways to choose 4 districts of 12): the design-based check.
- `holm`: Holm's step-down adjustment of a family of p-values (equal to statsmodels').
- `paired_tests`: the paired t-test and Wilcoxon signed-rank test on exact decimal
  differences; Wilcoxon's null distribution counted exactly, ties included.
"""

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats  # type: ignore[import-untyped]  # no stubs shipped

Floats = NDArray[np.float64]

LEVEL = 0.95
SEED = 20130801  # the pilot's start: any fixed seed makes the bootstrap reproducible
RESAMPLES = 2000
MIN_EXPECTED = 5.0  # the normal approximation is shown only at expected counts this large
MAX_ASSIGNMENTS = 20_000  # more possible treated sets than this: a seeded random sample
EXACT_WILCOXON_MAX = 60  # exact counts fit in int64 up to 2**62 sign patterns
TOLERANCE = 1e-9  # relative: differences this close are equal


@dataclass(frozen=True)
class Estimate:
    estimand: str  # e.g. "ratio of rate ratios", "difference in differences"
    scale: str  # "ratio" (no difference: 1) or "absolute" (no difference: 0)
    method: str  # poisson_glm, quasi_poisson_glm, exact_rate, z_rate, bootstrap, permutation…
    value: float | None = None
    low: float | None = None  # the 95 % interval; None: not given (or unbounded)
    high: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None  # Holm, within the family the comparison names
    reason: str | None = None  # why there is no value or p-value
    resamples: int | None = None  # bootstrap resamples / permutation assignments used

    @property
    def null(self) -> float:
        return 1.0 if self.scale == "ratio" else 0.0

    @property
    def p(self) -> float | None:
        """The p-value to read: the adjusted one when there is one."""
        return self.p_adjusted if self.p_adjusted is not None else self.p_value

    @property
    def likely_chance(self) -> bool | None:
        """Whether chance alone could well explain the difference (p ≥ 0.05); None: no test."""
        return None if self.p is None else self.p >= 1 - LEVEL


def _none(
    estimand: str, scale: str, method: str, reason: str, value: float | None = None
) -> Estimate:
    return Estimate(estimand, scale, method, value=value, reason=reason)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _prob(p: float) -> float | None:
    return min(1.0, max(0.0, float(p))) if math.isfinite(p) else None


# ---------------------------------------------------------------- Poisson DiD


def poisson_did(
    counts: ArrayLike, exposures: ArrayLike, treated: ArrayLike, after: ArrayLike
) -> Estimate:
    """The ratio of rate ratios (treated after/before ÷ control after/before) of counts over
    person-time, one row per unit and period: a Poisson GLM `count ~ treated * after` with
    offset log(exposure). With more rows than the four cells, the standard error is scaled by
    the Pearson dispersion between the units when that exceeds 1 (quasi-Poisson)."""
    name = "ratio of rate ratios"
    y = np.asarray(counts, dtype=np.float64)
    t = np.asarray(exposures, dtype=np.float64)
    g = np.asarray(treated, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    method = "poisson_glm" if len(y) <= 4 else "quasi_poisson_glm"
    if not (np.isfinite(y).all() and np.isfinite(t).all()):
        return _none(name, "ratio", method, "a count or person-time is missing")
    keep = t > 0
    if (y[~keep] > 0).any():
        return _none(name, "ratio", method, "events without person-time")
    y, t, g, a = y[keep], t[keep], g[keep], a[keep]
    if (y < 0).any() or not np.allclose(y, np.round(y)):
        return _none(name, "ratio", method, "a count is negative or not a whole number")
    cell = (g * 2 + a).astype(np.int64)
    if len(np.unique(cell)) < 4:
        return _none(name, "ratio", method, "a group has no person-time in a period")
    events = np.bincount(cell, weights=y, minlength=4)
    if (events == 0).any():
        return _none(name, "ratio", method, "a group has no events in a period: no finite ratio")
    # statsmodels takes a second or two to import: only when a model is fitted.
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    x = np.column_stack([np.ones_like(g), g, a, g * a])
    model = GLM(y, x, family=families.Poisson(), offset=np.log(t))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit()
        if len(y) > 4 and fit.df_resid > 0:
            dispersion = float(fit.pearson_chi2 / fit.df_resid)
            if dispersion > 1:
                fit = model.fit(scale=dispersion)
    beta, se = float(fit.params[3]), float(fit.bse[3])
    z = stats.norm.ppf(0.5 + LEVEL / 2)
    return Estimate(
        name,
        "ratio",
        method,
        value=_finite(math.exp(beta)),
        low=_finite(math.exp(beta - z * se)),
        high=_finite(math.exp(beta + z * se)),
        p_value=_prob(float(fit.pvalues[3])),
    )


# ---------------------------------------------------------------- two rates


@dataclass(frozen=True)
class RateTest:
    """Two rates over person-time: a count in person-years against another."""

    a_count: int
    a_years: float
    b_count: int
    b_years: float
    exact: Estimate  # the rate ratio a/b, the exact interval and conditional binomial test
    z: Estimate  # the normal approximation, continuity-corrected; a reason when counts are small
    expected: tuple[float, float] | None  # the counts expected under equal rates

    @property
    def a_rate(self) -> float | None:
        return self.a_count / self.a_years if self.a_years > 0 else None

    @property
    def b_rate(self) -> float | None:
        return self.b_count / self.b_years if self.b_years > 0 else None


def rate_test(a_count: int, a_years: float, b_count: int, b_years: float) -> RateTest:
    """Rate a (a_count per a_years) against rate b: given the total n = a_count + b_count,
    a_count is binomial(n, a_years / (a_years + b_years)) when the rates are equal."""
    name = "rate ratio"
    n = a_count + b_count
    reason = None
    if a_years <= 0 or b_years <= 0 or not math.isfinite(a_years + b_years):
        reason = "no person-time in one of the two"
    elif min(a_count, b_count) < 0:
        reason = "a negative count"
    elif n == 0:
        reason = "no events in either: nothing to compare"
    elif not 1e-12 < a_years / (a_years + b_years) < 1 - 1e-12:
        reason = "the person-times are too unequal to compare"
    if reason:
        none = _none(name, "ratio", "exact_rate", reason)
        return RateTest(
            a_count, a_years, b_count, b_years, none, replace(none, method="z_rate"), None
        )
    share = a_years / (a_years + b_years)
    try:
        res = stats.binomtest(a_count, n, share)
        ci = res.proportion_ci(confidence_level=LEVEL, method="exact")
    except (OverflowError, ValueError, FloatingPointError) as exc:  # extreme inputs
        none = _none(name, "ratio", "exact_rate", f"the exact test fails: {exc}")
        return RateTest(
            a_count, a_years, b_count, b_years, none, replace(none, method="z_rate"), None
        )
    odds = share / (1 - share)

    def ratio(p: float) -> float | None:
        return None if p >= 1 else _finite(p / (1 - p) / odds)

    exact = Estimate(
        name,
        "ratio",
        "exact_rate",
        value=ratio(a_count / n),
        low=ratio(float(ci.low)),
        high=ratio(float(ci.high)),
        p_value=_prob(float(res.pvalue)),
        reason="no events in b: the ratio is unbounded" if b_count == 0 else None,
    )
    expected = (n * share, n * (1 - share))
    if min(expected) < MIN_EXPECTED:
        z = _none(
            name, "ratio", "z_rate", f"expected counts below {MIN_EXPECTED:g}: read the exact test"
        )
    else:
        # The normal approximation to the same binomial, with Yates' continuity correction.
        sd = math.sqrt(n * share * (1 - share))
        stat = math.copysign(max(0.0, abs(a_count - expected[0]) - 0.5), a_count - expected[0])
        z = Estimate(
            name,
            "ratio",
            "z_rate",
            value=exact.value,
            p_value=_prob(2 * stats.norm.sf(abs(stat / sd))),
        )
    return RateTest(a_count, a_years, b_count, b_years, exact, z, expected)


# ---------------------------------------------------------------- bootstrap


def _ratio_did(sums: Floats) -> Floats:
    """The DiD of ratios from sums shaped (..., group: treated | control, column: num_before,
    den_before, num_after, den_after)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        change = sums[..., 2] / sums[..., 3] - sums[..., 0] / sums[..., 1]
    return np.asarray(change[..., 0] - change[..., 1], dtype=np.float64)


def _columns(*columns: ArrayLike) -> Floats:
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])


def ratio_did(
    num_before: ArrayLike,
    den_before: ArrayLike,
    num_after: ArrayLike,
    den_after: ArrayLike,
    treated: ArrayLike,
) -> float | None:
    """(Σnum/Σden after − before) in the treated units minus the same in the others."""
    cols = _columns(num_before, den_before, num_after, den_after)
    mask = np.asarray(treated, dtype=np.bool_)
    sums = np.stack([cols[mask].sum(axis=0), cols[~mask].sum(axis=0)])
    value = float(_ratio_did(sums))
    return _finite(value)


def bootstrap_did(
    num_before: ArrayLike,
    den_before: ArrayLike,
    num_after: ArrayLike,
    den_after: ArrayLike,
    treated: ArrayLike,
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    scale: float = 1.0,
) -> Estimate:
    """The DiD of a ratio of sums (`ratio_did`) × `scale`, with a 95 % percentile interval
    from resampling the units with replacement within each group (both periods of a unit stay
    together, so units in both periods are handled). p: twice the smaller share of resamples
    on either side of 0 (with the +1 of a resampling p-value), at most 1.

    The draws: for each resample, one uniform per unit of the treated then the control units
    (`rng.random((resamples, n))`, row by row), floor(u × n_group) picks the unit."""
    name = "difference in differences"
    cols = _columns(num_before, den_before, num_after, den_after)
    mask = np.asarray(treated, dtype=np.bool_)
    observed = ratio_did(cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3], mask)
    if observed is None:
        return _none(name, "absolute", "bootstrap", "the figure is undefined in a group or period")
    parts = [cols[mask], cols[~mask]]
    sizes = [len(p) for p in parts]
    n = sum(sizes)
    rng = np.random.default_rng(seed)
    chunk = max(1, 500_000 // max(n, 1))
    out = np.empty(resamples, dtype=np.float64)
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        u = rng.random((rows, n))
        sums = np.empty((rows, 2, 4), dtype=np.float64)
        offset = 0
        for k, (part, size) in enumerate(zip(parts, sizes, strict=True)):
            pick = np.floor(u[:, offset : offset + size] * size).astype(np.int64)
            sums[:, k, :] = np.stack([part[:, c][pick].sum(axis=1) for c in range(4)], axis=1)
            offset += size
        out[start : start + rows] = _ratio_did(sums)
    good = out[np.isfinite(out)] * scale
    if len(good) < resamples / 2:
        return _none(
            name,
            "absolute",
            "bootstrap",
            "the figure is undefined in most resamples",
            observed * scale,
        )
    low, high = np.quantile(good, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    tail = min(int((good <= 0).sum()), int((good >= 0).sum()))
    p = min(1.0, 2 * (tail + 1) / (len(good) + 1))
    return Estimate(
        name,
        "absolute",
        "bootstrap",
        value=observed * scale,
        low=float(low),
        high=float(high),
        p_value=p,
        resamples=len(good),
    )


# ---------------------------------------------------------------- permutation over units


def assignments(
    units: int, treated: int, *, limit: int = MAX_ASSIGNMENTS, seed: int = SEED
) -> NDArray[np.bool_]:
    """Every way to choose `treated` of `units` (a row per choice, True: treated), in
    lexicographic order; more than `limit`: `limit` seeded random choices."""
    total = math.comb(units, treated)
    if total <= limit:
        rows = np.zeros((total, units), dtype=np.bool_)
        for i, chosen in enumerate(itertools.combinations(range(units), treated)):
            rows[i, list(chosen)] = True
        return rows
    rng = np.random.default_rng(seed)
    keys = rng.random((limit, units))
    ranks = np.argsort(keys, axis=1)[:, :treated]
    rows = np.zeros((limit, units), dtype=np.bool_)
    np.put_along_axis(rows, ranks, True, axis=1)
    return rows


def permutation_did(
    num_before: ArrayLike,
    den_before: ArrayLike,
    num_after: ArrayLike,
    den_after: ArrayLike,
    treated: ArrayLike,
    *,
    scale: float = 1.0,
    limit: int = MAX_ASSIGNMENTS,
) -> Estimate:
    """The DiD of a ratio of sums over units (districts) against its value under every other
    choice of as many treated units: p = the share of choices whose |DiD| is at least the
    observed one (within a relative tolerance). No interval: it tests, it does not estimate."""
    name = "difference in differences"
    cols = _columns(num_before, den_before, num_after, den_after)
    mask = np.asarray(treated, dtype=np.bool_)
    k, m = int(mask.sum()), len(mask)
    observed = ratio_did(cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3], mask)
    if observed is None:
        return _none(
            name, "absolute", "permutation", "the figure is undefined in a group or period"
        )
    if k == 0 or k == m:
        return _none(
            name, "absolute", "permutation", "no units in one of the groups", observed * scale
        )
    choices = assignments(m, k, limit=limit)
    chosen = choices.astype(np.float64)
    sums = np.stack([chosen @ cols, (1 - chosen) @ cols], axis=1)
    values = _ratio_did(sums)
    values = values[np.isfinite(values)]
    extreme = np.abs(values) >= abs(observed) - TOLERANCE * max(1.0, abs(observed))
    return Estimate(
        name,
        "absolute",
        "permutation",
        value=observed * scale,
        p_value=_prob(float(extreme.mean())),
        resamples=len(values),
    )


# ---------------------------------------------------------------- Holm


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of the p-values given; None stays None and is not counted.

    The i-th smallest of m p-values becomes max over j <= i of min(1, (m - j + 1) p_(j)): the
    same as `statsmodels.stats.multitest.multipletests(method="holm")` (tested), which calls
    gc.collect() on every use, too slow for a page."""
    given = [(i, p) for i, p in enumerate(p_values) if p is not None]
    out: list[float | None] = [None] * len(p_values)
    if given:
        p = np.array([q for _, q in given], dtype=np.float64)
        order = np.argsort(p, kind="stable")
        scaled = p[order] * np.arange(len(p), 0, -1)
        adjusted = np.empty_like(p)
        adjusted[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
        for (i, _), q in zip(given, adjusted, strict=True):
            out[i] = float(q)
    return out


def adjust(estimates: Sequence[Estimate]) -> list[Estimate]:
    """The estimates with `p_adjusted` by Holm over this family."""
    adjusted = holm([e.p_value for e in estimates])
    return [replace(e, p_adjusted=q) for e, q in zip(estimates, adjusted, strict=True)]


# ---------------------------------------------------------------- paired tests


def exact(value: float) -> Fraction:
    """A float as the decimal it prints as (0.3 → 3/10), so that 0.3 − 0.2 = 0.2 − 0.1."""
    return Fraction(Decimal(repr(float(value))))


@dataclass(frozen=True)
class PairedResult:
    n: int
    mean_difference: float | None
    t_test: Estimate
    wilcoxon: Estimate
    t_statistic: float | None
    w_statistic: float | None


def paired_tests(before: Sequence[float], after: Sequence[float]) -> PairedResult:
    """The paired t-test and the Wilcoxon signed-rank test (zero differences dropped; exact
    null distribution with mid-ranks for ties) of after − before, two-sided."""
    diffs = [exact(y) - exact(x) for x, y in zip(before, after, strict=True)]
    n = len(diffs)
    mean = float(sum(diffs, Fraction(0)) / n) if n else None
    t_name, w_name = "mean difference", "signed-rank test of after − before"
    reason = None
    if n < 2:
        reason = f"fewer than 2 pairs (n = {n})"
    elif all(d == 0 for d in diffs):
        reason = "all differences are 0"
    if reason:
        return PairedResult(
            n,
            mean,
            _none(t_name, "absolute", "ttest_rel", reason),
            _none(w_name, "absolute", "wilcoxon", reason),
            None,
            None,
        )
    d = np.array([float(x) for x in diffs])
    spread = float(max(diffs) - min(diffs))
    if spread <= TOLERANCE * max(1.0, float(np.abs(d).max())):
        t = _none(t_name, "absolute", "ttest_rel", "all differences are equal: no variance", mean)
        t_stat = None
    else:
        res = stats.ttest_1samp(d, 0.0)
        sem = float(np.std(d, ddof=1) / math.sqrt(n))
        q = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1))
        t_stat = _finite(float(res.statistic))
        t = Estimate(
            t_name,
            "absolute",
            "ttest_rel",
            value=mean,
            low=mean - q * sem if mean is not None else None,
            high=mean + q * sem if mean is not None else None,
            p_value=_prob(float(res.pvalue)),
        )
    w_stat, w_p = signed_rank(diffs)
    w = Estimate(w_name, "absolute", "wilcoxon", p_value=w_p)
    return PairedResult(n, mean, t, w, t_stat, w_stat)


def signed_rank(diffs: Sequence[Fraction]) -> tuple[float, float]:
    """Wilcoxon's W = min(W+, W−) over the non-zero differences, with mid-ranks for tied
    |differences|, and its exact two-sided p-value: every sign pattern counted (a subset-sum
    count over the doubled ranks, all integers). Beyond EXACT_WILCOXON_MAX non-zero
    differences, scipy's normal approximation."""
    nonzero = [x for x in diffs if x != 0]
    m = len(nonzero)
    magnitudes = sorted(abs(x) for x in nonzero)
    # doubled mid-ranks: a run of ties at 1-based positions i..j has rank (i + j) / 2
    doubled: dict[Fraction, int] = {}
    i = 0
    while i < m:
        j = i
        while j + 1 < m and magnitudes[j + 1] == magnitudes[i]:
            j += 1
        doubled[magnitudes[i]] = (i + 1) + (j + 1)
        i = j + 1
    ranks = [doubled[abs(x)] for x in nonzero]
    plus = sum(r for r, x in zip(ranks, nonzero, strict=True) if x > 0)
    total = sum(ranks)
    w2 = min(plus, total - plus)  # doubled
    if m > EXACT_WILCOXON_MAX:
        res = stats.wilcoxon(np.array([float(x) for x in nonzero]), method="approx")
        return float(res.statistic), float(_prob(float(res.pvalue)) or 1.0)
    counts = np.zeros(total + 1, dtype=np.int64)
    counts[0] = 1
    for r in ranks:
        counts[r:] = counts[r:] + counts[: len(counts) - r].copy()
    tail = int(counts[: w2 + 1].sum())
    p = min(Fraction(1), Fraction(2 * tail, 2**m))
    return w2 / 2, float(p)


# ---------------------------------------------------------------- proportions (kept for docs)


def fisher(x1: int, n1: int, x2: int, n2: int) -> Estimate:
    """Fisher's exact test on [[x1, n1 − x1], [x2, n2 − x2]], with the sample odds ratio."""
    if n1 <= 0 or n2 <= 0 or min(x1, x2) < 0 or x1 > n1 or x2 > n2:
        return _none("odds ratio", "ratio", "fisher_exact", "a count outside its base")
    res = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])
    return Estimate(
        "odds ratio",
        "ratio",
        "fisher_exact",
        value=_finite(float(res.statistic)),
        p_value=_prob(float(res.pvalue)),
    )
