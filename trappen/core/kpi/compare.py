"""Comparison of two groups over two periods: changes, difference-in-differences, inference.

`compare(before, after, treated=..., control=...)` takes two `evaluate()` results (the same
`group_by`, two periods, the before one ending before the after one starts) and two of their
group names, e.g. the pilot districts ("Pilot") against the others ("Øvrige"). Optional:

- `before_units` / `after_units` (the same periods evaluated with `group_by="district"`) and
  `unit_groups` (district → group): paired tests over districts, the permutation test over
  the possible choices of treated districts and the quasi-Poisson model over districts;
- `children` (`samples.child_sample`): the child-level bootstrap of shares and unit costs.

The result is a frozen `Comparison` (below; `as_dict()` for JSON). Every figure that grows
with the period's length is also given per year (per 365 days) and compared per year. The
definitions are in docs/comparison.md, the methods in docs/statistics.md.
"""

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Protocol

import numpy as np

from trappen.core.dataset import CATEGORIES
from trappen.core.kpi import inference
from trappen.core.kpi.inference import Estimate, PairedResult, RateTest
from trappen.core.kpi.samples import ChildSample
from trappen.core.staircase import PlacementType

YEAR = 365  # "per year": per 365 days


class _Evaluated(Protocol):
    """`evaluate()`'s typed result (kpi.results.Report): read through its JSON."""

    def as_dict(self) -> dict[str, Any]: ...


Evaluation = Mapping[str, Any] | _Evaluated


def _plain(result: Evaluation) -> Mapping[str, Any]:
    return result if isinstance(result, Mapping) else result.as_dict()


Num = float | int | None

_CATEGORY_LABELS = {
    "total": "total",
    "institution": "institution",
    "family_care": "family care",
    "home_based": "home-based",
}
_TYPE_LABELS = {
    PlacementType.RESIDENTIAL_INSTITUTION: "residential institution",
    PlacementType.SOCIO_PEDAGOGICAL: "socio-pedagogical residence",
    PlacementType.SECURE_INSTITUTION: "secure institution",
    PlacementType.FOSTER_ORDINARY: "ordinary foster care",
    PlacementType.FOSTER_NETWORK: "network foster care",
    PlacementType.FOSTER_SPECIAL: "special foster care",
    PlacementType.HOME_BASED: "home-based placement",
}
# FIGURES sections broken down by category and type: (section, label, unit, with total?)
_SPLIT_SECTIONS = (
    ("placed_aarsboern", "Placed full-year children", "aarsboern", True),
    ("placed_children", "Placed children", "children", True),
    ("share_of_placed", "Share of placed full-year children", "share", False),
    ("spending", "Spending", "dkk", True),
    ("unit_cost", "Unit cost per full-year child", "dkk_per_aarsbarn", True),
)
STEP_KEYS = ("0", "1", "2", "3", "4", "5", "under_clarification", "total")
FOLLOWUP_CATEGORIES = ("institution", "family_care", "home_based", "preventive")


def _metric_specs() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(key, label, unit, path into FIGURES); "@last" in a path: the last date / half-year."""
    specs: list[tuple[str, str, str, tuple[str, ...]]] = []
    for section, label, unit, with_total in _SPLIT_SECTIONS:
        for cat in ("total", *CATEGORIES):
            if cat == "total" and not with_total:
                continue
            name = f"{label}, {_CATEGORY_LABELS[cat]}"
            specs.append((f"{section}.{cat}", name, unit, (section, cat)))
        for ptype in PlacementType:
            name = f"{label}, {_TYPE_LABELS[ptype]}"
            specs.append((f"{section}.by_type.{ptype}", name, unit, (section, "by_type", ptype)))
    specs += [
        ("breakdowns.count", "Placement breakdowns", "count", ("breakdowns", "count")),
        (
            "breakdowns.per_placed_aarsboern",
            "Placement breakdowns per placed full-year child",
            "per_aarsbarn",
            ("breakdowns", "per_placed_aarsboern"),
        ),
        ("complaints.count", "Complaints", "count", ("complaints", "count")),
        ("complaints.share", "Complaints per case", "share", ("complaints", "share")),
    ]
    for step in STEP_KEYS:
        name = {
            "under_clarification": "Children under clarification on the last date",
            "total": "Children with an open case on the last date",
        }.get(step, f"Children on step {step} on the last date")
        specs.append((f"step_counts.{step}", name, "children", ("step_counts", "@last", step)))
    for cat in FOLLOWUP_CATEGORIES:
        specs.append(
            (
                f"followups_per_case.{cat}",
                f"Follow-ups per case in the last half-year, {cat.replace('_', ' ')}",
                "per_case",
                ("followups_per_case", "@last", cat),
            )
        )
    return specs


METRIC_SPECS = _metric_specs()
METRIC_KEYS = tuple(key for key, *_ in METRIC_SPECS)
PAIRED_METRICS = ("placed_aarsboern.total", "share_of_placed.institution", "complaints.share")


# Figures that grow with the period's length: compared per 365 days.
PER_YEAR_SECTIONS = ("spending", "unit_cost")
PER_YEAR_KEYS = frozenset(
    ("breakdowns.count", "breakdowns.per_placed_aarsboern", "complaints.count", "complaints.share")
)


def grows_with_length(key: str) -> bool:
    return key.split(".")[0] in PER_YEAR_SECTIONS or key in PER_YEAR_KEYS


# ---------------------------------------------------------------- the result's types


@dataclass(frozen=True)
class PeriodInfo:
    start: str | None
    end: str | None
    days: int | None

    @property
    def per_year(self) -> float | None:
        """The factor from the period's total to a figure per 365 days."""
        return YEAR / self.days if self.days else None


@dataclass(frozen=True)
class Side:
    """One group's figure in the two periods. `before` / `after`: as evaluated (the period's
    total); `*_per_year`: per 365 days (None unless the figure grows with the period's
    length). `change` and `change_pct` compare the per-year figures when there are any."""

    before: Num
    after: Num
    before_per_year: Num = None
    after_per_year: Num = None
    change: Num = None
    change_pct: Num = None


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # English; the web layer translates by key
    unit: str  # aarsboern, children, share, dkk, dkk_per_aarsbarn, count, per_aarsbarn, per_case
    per_year: bool  # compared per 365 days
    treated: Side
    control: Side
    did: Num  # treated change − control change


@dataclass(frozen=True)
class Headline:
    """A headline figure's DiD with its inference: `did` by the method fit for the figure
    (Poisson model: a ratio; bootstrap: absolute), `permutation` the design-based check over
    the choice of treated districts (absolute DiD), both Holm-adjusted within their family."""

    key: str
    label: str
    unit: str  # per_year (a rate per person-year), share, dkk_per_aarsbarn (per year)
    treated: Side
    control: Side
    did: Estimate
    permutation: Estimate | None


@dataclass(frozen=True)
class RateComparison:
    key: str  # complaints.before, complaints.after, complaints.treated, complaints.control…
    measure: str  # complaints (per open case-year) | breakdowns (per placed child-year)
    comparison: str  # between_groups | between_periods
    period: str | None
    group: str | None
    a_label: str
    b_label: str
    test: RateTest  # exact.p_adjusted: Holm over the eight tests


@dataclass(frozen=True)
class UnitPair:
    unit: str
    before: float
    after: float


@dataclass(frozen=True)
class PairedSide:
    units: tuple[UnitPair, ...]
    excluded: tuple[str, ...]  # in the group, but a value is missing in a period
    result: PairedResult

    @property
    def n(self) -> int:
        return len(self.units)


@dataclass(frozen=True)
class PairedMetric:
    key: str
    label: str
    unit: str
    per_year: bool
    treated: PairedSide
    control: PairedSide


@dataclass(frozen=True)
class Overlap:
    """Children placed in both periods, of those placed in either, per group."""

    treated: tuple[int, int]
    control: tuple[int, int]


@dataclass(frozen=True)
class Comparison:
    group_by: str | None
    treated: str
    control: str
    before: PeriodInfo
    after: PeriodInfo
    step_counts_date: Mapping[str, str | None]  # period → the date the step counts use
    followups_half_year: Mapping[str, str | None]  # period → the half-year ("2015H2")
    metrics: tuple[Metric, ...]  # in the order of METRIC_KEYS
    headline: tuple[Headline, ...]
    rates: tuple[RateComparison, ...]
    paired: tuple[PairedMetric, ...] | None
    overlap: Overlap | None
    districts: tuple[int, int] | None  # (treated, control) districts, with district figures
    adjustment: str = "holm"

    @property
    def equal_length(self) -> bool:
        return self.before.days == self.after.days

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dicts, lists, str, numbers and None (never NaN or infinity)."""
        out = asdict(self)
        out["equal_length"] = self.equal_length
        for field in ("metrics", "headline", "rates", "paired"):
            if out[field] is not None:  # keyed, in order
                out[field] = {row.pop("key"): row for row in out[field]}
        return out


# ---------------------------------------------------------------- compare


def check_periods(before: date, before_end: date, after: date, after_end: date) -> None:
    """The before period must end before the after period starts (no shared days)."""
    if before > after_end:
        raise ValueError("the periods are reversed: the before period starts after the after one")
    if before_end >= after:
        raise ValueError("the periods overlap: the before period must end before the after starts")


def compare(
    before_result: Evaluation,
    after_result: Evaluation,
    *,
    treated: str,
    control: str,
    before_units: Evaluation | None = None,
    after_units: Evaluation | None = None,
    unit_groups: Mapping[str, str] | None = None,
    children: ChildSample | None = None,
    resamples: int = inference.RESAMPLES,
    seed: int = inference.SEED,
) -> Comparison:
    """Compare `treated` against `control` from the `before` period to the `after` period
    (`evaluate()` results, typed or as their JSON)."""
    before, after = _plain(before_result), _plain(after_result)
    units = (
        None if before_units is None else _plain(before_units),
        None if after_units is None else _plain(after_units),
        unit_groups,
    )
    if treated == control:
        raise ValueError("treated and control must be two different groups")
    if before.get("group_by") != after.get("group_by"):
        raise ValueError(f"group_by differs: {before.get('group_by')} / {after.get('group_by')}")
    for name, result in (("before", before), ("after", after)):
        for group in (treated, control):
            if group not in result["groups"]:
                raise ValueError(f"{name}: no group {group!r} in {sorted(result['groups'])}")
    if any(u is not None for u in units) and any(u is None for u in units):
        raise ValueError("paired tests need before_units, after_units and unit_groups together")
    periods = {"before": _period(before), "after": _period(after)}
    if all(p.start and p.end for p in periods.values()):
        b, a = periods["before"], periods["after"]
        check_periods(*(date.fromisoformat(str(x)) for x in (b.start, b.end, a.start, a.end)))

    figures = {
        ("treated", "before"): before["groups"][treated],
        ("treated", "after"): after["groups"][treated],
        ("control", "before"): before["groups"][control],
        ("control", "after"): after["groups"][control],
    }
    factor = {p: info.per_year for p, info in periods.items()}
    last_date = {p: _last_key(figures, p, "step_counts") for p in ("before", "after")}
    last_half = {p: _last_key(figures, p, "followups_per_case") for p in ("before", "after")}
    names = {"treated": treated, "control": control}
    metrics = _metrics(figures, {"step_counts": last_date, "followups_per_case": last_half}, factor)

    district_rows = None
    b_units, a_units, groups = units
    if b_units is not None and a_units is not None and groups is not None:
        district_rows = _district_rows(b_units, a_units, groups, names)
    paired = None
    if district_rows is not None:
        paired = _paired(district_rows, factor)
    return Comparison(
        group_by=before.get("group_by"),
        treated=treated,
        control=control,
        before=periods["before"],
        after=periods["after"],
        step_counts_date=last_date,
        followups_half_year=last_half,
        metrics=metrics,
        headline=_headline(figures, metrics, periods, district_rows, children, resamples, seed),
        rates=_rates(figures, names, periods),
        paired=paired,
        overlap=None
        if children is None
        else Overlap(children.in_both(True), children.in_both(False)),
        districts=None
        if district_rows is None
        else (sum(r.treated for r in district_rows), sum(not r.treated for r in district_rows)),
    )


# ---------------------------------------------------------------- metrics


def _period(result: Mapping[str, Any]) -> PeriodInfo:
    p = result.get("period") or {}
    days = _int(p.get("days"))
    return PeriodInfo(p.get("from"), p.get("to"), days if days and days > 0 else None)


def _last_key(
    figures: Mapping[tuple[str, str], Mapping[str, Any]], period: str, section: str
) -> str | None:
    """The latest key of a dated section in the period's two groups ("2015-12-31", "2015H2":
    both sort as strings); None when neither has any."""
    keys = [
        str(k) for role in ("treated", "control") for k in figures[role, period].get(section) or {}
    ]
    return max(keys) if keys else None


def _number(value: Any) -> Num:
    """A finite int or float, else None (also for NaN, infinity, bool and non-numbers)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    return None


def _int(value: Any) -> int | None:
    n = _number(value)
    if n is None or n != int(n):
        return None
    return int(n)


def _lookup(figures: Mapping[str, Any], path: tuple[str, ...], last: str | None = None) -> Num:
    """The number at `path` in `figures`, "@last" standing for `last`; None when absent."""
    node: Any = figures
    for step in path:
        part = last if step == "@last" else step
        if part is None or not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return _number(node)


def _sub(a: Num, b: Num) -> Num:
    return None if a is None or b is None else _number(a - b)


def _rate(count: float, years: float) -> Num:
    return _number(count / years) if years else None


def _times(a: Num, factor: float | None) -> Num:
    return None if a is None or factor is None else _number(a * factor)


def _side(before: Num, after: Num, factors: Mapping[str, float | None] | None) -> Side:
    """A Side; with `factors` (period → per-year factor) also per year, compared per year."""
    per: tuple[Num, Num] = (None, None)
    lo, hi = before, after
    if factors is not None:
        lo, hi = _times(before, factors["before"]), _times(after, factors["after"])
        per = (lo, hi)
    change = _sub(hi, lo)
    pct = None if change is None or not lo else _number(100.0 * change / lo)
    return Side(before, after, per[0], per[1], change, pct)


def _metrics(
    figures: Mapping[tuple[str, str], Mapping[str, Any]],
    last: Mapping[str, Mapping[str, str | None]],
    factor: Mapping[str, float | None],
) -> tuple[Metric, ...]:
    """`last`: section → period → the date / half-year that section's "@last" stands for."""
    out: list[Metric] = []
    for key, label, unit, path in METRIC_SPECS:
        values = {
            (role, period): _lookup(figures[role, period], path, last.get(path[0], {}).get(period))
            for role, period in figures
        }
        if all(v is None for v in values.values()) and not _present(figures, path):
            continue  # a figure evaluate() does not give at all
        scaled = grows_with_length(key)
        sides = {
            role: _side(values[role, "before"], values[role, "after"], factor if scaled else None)
            for role in ("treated", "control")
        }
        did = _sub(sides["treated"].change, sides["control"].change)
        out.append(Metric(key, label, unit, scaled, sides["treated"], sides["control"], did))
    return tuple(out)


def _present(figures: Mapping[tuple[str, str], Mapping[str, Any]], path: tuple[str, ...]) -> bool:
    """Whether the section a metric comes from exists in any of the four figures."""
    return any(path[0] in f for f in figures.values())


# ---------------------------------------------------------------- rates over person-time

# measure → (count path, person-time path, how to make the person-time years)
# complaints per open case-year: open_cases is the average number of open cases (case-days ÷
# days), so × days ÷ 365 gives case-years; breakdowns per placed child-year: placed årsbørn ×
# days ÷ 365.
_RATES = {
    "complaints": (("complaints", "count"), ("complaints", "open_cases")),
    "breakdowns": (("breakdowns", "count"), ("placed_aarsboern", "total")),
}
RATE_LABELS = {
    "complaints": "Complaints per open case-year",
    "breakdowns": "Placement breakdowns per placed child-year",
}


def _count_and_years(
    figures: Mapping[str, Any], measure: str, days: int | None
) -> tuple[int, float]:
    count_path, time_path = _RATES[measure]
    count = _int(_lookup(figures, count_path)) or 0
    average = _lookup(figures, time_path)
    years = 0.0 if average is None or not days else float(average) * days / YEAR
    return count, years


def _rates(
    figures: Mapping[tuple[str, str], Mapping[str, Any]],
    names: Mapping[str, str],
    periods: Mapping[str, PeriodInfo],
) -> tuple[RateComparison, ...]:
    out: list[RateComparison] = []
    for measure in _RATES:
        pairs: list[tuple[str, str, str | None, str | None, tuple[str, str], tuple[str, str]]] = [
            (f"{measure}.{p}", "between_groups", p, None, ("treated", p), ("control", p))
            for p in ("before", "after")
        ] + [
            (f"{measure}.{r}", "between_periods", None, r, (r, "after"), (r, "before"))
            for r in ("treated", "control")
        ]
        for key, comparison, period, group, one, two in pairs:
            x1, t1 = _count_and_years(figures[one], measure, periods[one[1]].days)
            x2, t2 = _count_and_years(figures[two], measure, periods[two[1]].days)
            out.append(
                RateComparison(
                    key,
                    measure,
                    comparison,
                    period,
                    group,
                    f"{names[one[0]]}, {one[1]}",
                    f"{names[two[0]]}, {two[1]}",
                    inference.rate_test(x1, t1, x2, t2),
                )
            )
    adjusted = inference.adjust([r.test.exact for r in out])
    return tuple(
        replace(r, test=replace(r.test, exact=e)) for r, e in zip(out, adjusted, strict=True)
    )


# ---------------------------------------------------------------- headline DiDs


@dataclass(frozen=True)
class _District:
    name: str
    treated: bool
    figures: tuple[Mapping[str, Any], Mapping[str, Any]]  # before, after


def _district_rows(
    before_units: Mapping[str, Any],
    after_units: Mapping[str, Any],
    unit_groups: Mapping[str, str],
    names: Mapping[str, str],
) -> tuple[_District, ...]:
    for name, result in (("before_units", before_units), ("after_units", after_units)):
        if result.get("group_by") != "district":
            raise ValueError(f"{name} must be evaluated with group_by='district'")
    rows = []
    for district, group in sorted(unit_groups.items()):
        if group not in (names["treated"], names["control"]):
            continue
        rows.append(
            _District(
                district,
                group == names["treated"],
                (
                    before_units["groups"].get(district) or {},
                    after_units["groups"].get(district) or {},
                ),
            )
        )
    return tuple(rows)


# headline key → (label, unit, the metric it shows)
HEADLINE_SPECS = (
    ("complaints.rate", RATE_LABELS["complaints"], "per_year", None),
    ("breakdowns.rate", RATE_LABELS["breakdowns"], "per_year", None),
    (
        "share_of_placed.institution",
        "Share of placed full-year children, institution",
        "share",
        "share_of_placed.institution",
    ),
    (
        "share_of_placed.family_care",
        "Share of placed full-year children, family care",
        "share",
        "share_of_placed.family_care",
    ),
    (
        "unit_cost.total",
        "Unit cost per full-year child, total (per year)",
        "dkk_per_aarsbarn",
        "unit_cost.total",
    ),
)
HEADLINE_KEYS = tuple(key for key, *_ in HEADLINE_SPECS)


def _ratio_columns(
    key: str,
    figures: tuple[Mapping[str, Any], Mapping[str, Any]],
    days: tuple[int | None, int | None],
) -> tuple[float, float, float, float]:
    """(num before, den before, num after, den after) of a headline figure in one unit: the
    figure is Σnum ÷ Σden over the units (a rate per year, a share, a unit cost per year)."""
    out: list[float] = []
    for f, d in zip(figures, days, strict=True):

        def get(*path: str, f: Mapping[str, Any] = f) -> float:
            return float(_lookup(f, path) or 0)

        span = float(d or 0)
        if key in ("complaints.rate", "breakdowns.rate"):
            count, years = _count_and_years(f, key.split(".")[0], d)
            out += [float(count), years]
        elif key.startswith("share_of_placed."):
            out += [get("placed_aarsboern", key.split(".")[1]), get("placed_aarsboern", "total")]
        else:  # unit cost per year: spending × 365 ÷ placement days
            out += [get("spending", "total") * YEAR, get("placed_aarsboern", "total") * span]
    return out[0], out[1], out[2], out[3]


def _headline(
    figures: Mapping[tuple[str, str], Mapping[str, Any]],
    metrics: tuple[Metric, ...],
    periods: Mapping[str, PeriodInfo],
    districts: tuple[_District, ...] | None,
    children: ChildSample | None,
    resamples: int,
    seed: int,
) -> tuple[Headline, ...]:
    days = (periods["before"].days, periods["after"].days)
    by_key = {m.key: m for m in metrics}
    rows: list[tuple[str, str, str, Side, Side, Estimate, Estimate | None]] = []
    for key, label, unit, metric_key in HEADLINE_SPECS:
        sides: dict[str, Side] = {}
        for role in ("treated", "control"):
            nb, db, na, da = _ratio_columns(
                key, (figures[role, "before"], figures[role, "after"]), days
            )
            if metric_key is not None and metric_key in by_key:
                m = getattr(by_key[metric_key], role)
                sides[role] = m
            else:
                sides[role] = _side(_rate(nb, db), _rate(na, da), None)
        did = _did_estimate(key, figures, districts, children, days, resamples, seed)
        perm = None
        if districts:
            cols = np.array([_ratio_columns(key, d.figures, days) for d in districts])
            mask = np.array([d.treated for d in districts])
            perm = inference.permutation_did(cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3], mask)
        rows.append((key, label, unit, sides["treated"], sides["control"], did, perm))
    dids = inference.adjust([r[5] for r in rows])
    perms = [r[6] for r in rows]
    given = inference.adjust([p for p in perms if p is not None])
    it = iter(given)
    perms = [None if p is None else next(it) for p in perms]
    return tuple(
        Headline(r[0], r[1], r[2], r[3], r[4], d, p)
        for r, d, p in zip(rows, dids, perms, strict=True)
    )


def _did_estimate(
    key: str,
    figures: Mapping[tuple[str, str], Mapping[str, Any]],
    districts: tuple[_District, ...] | None,
    children: ChildSample | None,
    days: tuple[int | None, int | None],
    resamples: int,
    seed: int,
) -> Estimate:
    if key.endswith(".rate"):
        # Poisson over the districts when there are district figures, else the four cells.
        cells: list[tuple[float, float, bool, int]] = []
        if districts:
            for d in districts:
                nb, db, na, da = _ratio_columns(key, d.figures, days)
                cells += [(nb, db, d.treated, 0), (na, da, d.treated, 1)]
        else:
            for role in ("treated", "control"):
                pair = (figures[role, "before"], figures[role, "after"])
                nb, db, na, da = _ratio_columns(key, pair, days)
                cells += [(nb, db, role == "treated", 0), (na, da, role == "treated", 1)]
        y, t, g, a = (np.array(c, dtype=np.float64) for c in zip(*cells, strict=True))
        return inference.poisson_did(y, t, g, a)
    if children is None:
        return Estimate(
            "difference in differences", "absolute", "bootstrap", reason="no child-level data"
        )
    if key.startswith("share_of_placed."):
        num = children.category_days[key.split(".")[1]]
        scale_num = 1.0
    else:
        num = children.spending
        scale_num = float(YEAR)
    den = children.days
    return inference.bootstrap_did(
        num[:, 0] * scale_num,
        den[:, 0],
        num[:, 1] * scale_num,
        den[:, 1],
        children.treated,
        resamples=resamples,
        seed=seed,
    )


# ---------------------------------------------------------------- paired tests over districts


def _paired(
    districts: tuple[_District, ...],
    factor: Mapping[str, float | None],
) -> tuple[PairedMetric, ...]:
    specs = {key: (label, unit, path) for key, label, unit, path in METRIC_SPECS}
    out: list[tuple[str, str, str, bool, PairedSide, PairedSide]] = []
    for key in PAIRED_METRICS:
        label, unit, path = specs[key]
        scaled = grows_with_length(key)
        sides: dict[bool, PairedSide] = {}
        for role in (True, False):
            pairs, excluded = [], []
            for d in districts:
                if d.treated != role:
                    continue
                x = _lookup(d.figures[0], path)
                y = _lookup(d.figures[1], path)
                if scaled:
                    x, y = _times(x, factor["before"]), _times(y, factor["after"])
                if x is None or y is None:
                    excluded.append(d.name)
                else:
                    pairs.append(UnitPair(d.name, float(x), float(y)))
            result = inference.paired_tests([p.before for p in pairs], [p.after for p in pairs])
            sides[role] = PairedSide(tuple(pairs), tuple(excluded), result)
        out.append((key, label, unit, scaled, sides[True], sides[False]))
    # Holm over all paired p-values (t and Wilcoxon, both groups, every metric)
    tests = [
        t for *_, a, b in out for side in (a, b) for t in (side.result.t_test, side.result.wilcoxon)
    ]
    adjusted = iter(inference.adjust(tests))

    def fixed(side: PairedSide) -> PairedSide:
        t, w = next(adjusted), next(adjusted)
        return replace(side, result=replace(side.result, t_test=t, wilcoxon=w))

    return tuple(PairedMetric(k, lab, u, s, fixed(a), fixed(b)) for k, lab, u, s, a, b in out)
