"""Comparison of two groups over two periods: changes, difference-in-differences, significance.

`compare(before, after, treated=..., control=...)` takes two `evaluate()` results (the same
`group_by`, two periods) and two of their group names, e.g. the pilot districts ("Pilot") against
the others ("Øvrige"). With `before_units` / `after_units` (the same periods evaluated with
`group_by="district"`) and `unit_groups` (district → group) it adds paired tests over districts.
The exact definitions are in docs/comparison.md.

The result is JSON-ready (str, int, float, None, lists and dicts; never NaN or infinity). The two
groups are always named by their *role*, "treated" and "control"; their names are at the top:

    {
      "group_by": "group",
      "treated": "Pilot", "control": "Øvrige",
      "before": {"from": "2013-01-01", "to": "2013-12-31", "days": 365},
      "after":  {"from": "2015-01-01", "to": "2015-12-31", "days": 365},
      "reference": {                     # which date / half-year the point-in-time metrics use
        "step_counts_date": {"before": "2013-12-31" | None, "after": ...},
        "followups_half_year": {"before": "2013H2" | None, "after": ...},
      },
      "metrics": {KEY: METRIC, ...},     # in a fixed order, see METRIC_KEYS
      "tests": {KEY: TEST, ...},         # "complaints.before", "complaints.after",
                                         # "complaints.treated", "complaints.control",
                                         # the same four for "breakdowns"
      "paired": None | {"unit": "district", "metrics": {KEY: PAIRED, ...}},
    }

    METRIC = {
      "label": "Placed full-year children, institution",   # English; the web layer translates
      "unit": "aarsboern" | "children" | "share" | "dkk" | "dkk_per_aarsbarn" | "count"
              | "per_aarsbarn" | "per_case",
      "treated": {"before": x, "after": y, "change": y - x, "change_pct": 100 * (y - x) / x},
      "control": {...the same...},
      "did": (treated.after - treated.before) - (control.after - control.before),
    }
    # any value may be None: a figure missing or undefined (e.g. a share with nothing placed);
    # change is None when before or after is None, change_pct also when before is 0,
    # did when either change is None.

    TEST = {                             # two proportions: count of n against count of n
      "measure": "complaints" | "breakdowns",
      "comparison": "between_groups" | "between_periods",
      "period": "before" | "after" | None,          # set for between_groups
      "group": "treated" | "control" | None,        # set for between_periods
      "a": {"label": "Pilot, before", "count": 3, "n": 120, "share": 0.025},
      "b": {"label": "Øvrige, before", ...},        # share None when n is 0
      "fisher": {"test": "fisher_exact", "odds_ratio": float | None, "p_value": p | None,
                 "reason": None | str},
      "z": {"test": "two_proportion_z", "statistic": z | None, "p_value": p | None,
            "reason": None | str},
    }

    PAIRED = {
      "label": ..., "unit": ...,
      "treated": {
        "n": 4,                                       # districts with a value in both periods
        "units": [{"unit": "Nordby", "before": x, "after": y}, ...],   # sorted by unit
        "excluded": ["Vestby"],                       # in the group, but a value is missing
        "mean_difference": mean(after - before) | None,
        "t_test": {"test": "ttest_rel", "statistic": t | None, "p_value": p | None,
                   "reason": None | str},
        "wilcoxon": {"test": "wilcoxon", "statistic": w | None, "p_value": p | None,
                     "reason": None | str},
      },
      "control": {...},
    }

A test that cannot be computed (no cases, a count above its base, fewer than two districts,
all differences 0) gives `p_value` None and says why in `reason`; a z-test where both shares are
0 (or both 1) gives p = 1.0 with a reason. All tests are two-sided.
"""

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy import stats  # type: ignore[import-untyped]  # no stubs shipped

from trappen.core.dataset import CATEGORIES
from trappen.core.staircase import PlacementType

JSON = dict[str, Any]
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


def compare(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    treated: str,
    control: str,
    before_units: Mapping[str, Any] | None = None,
    after_units: Mapping[str, Any] | None = None,
    unit_groups: Mapping[str, str] | None = None,
) -> JSON:
    """Compare `treated` against `control` from the `before` period to the `after` period."""
    if treated == control:
        raise ValueError("treated and control must be two different groups")
    if before.get("group_by") != after.get("group_by"):
        raise ValueError(f"group_by differs: {before.get('group_by')} / {after.get('group_by')}")
    for name, result in (("before", before), ("after", after)):
        for group in (treated, control):
            if group not in result["groups"]:
                raise ValueError(f"{name}: no group {group!r} in {sorted(result['groups'])}")
    units = (before_units, after_units, unit_groups)
    if any(u is not None for u in units) and any(u is None for u in units):
        raise ValueError("paired tests need before_units, after_units and unit_groups together")

    figures = {
        ("treated", "before"): before["groups"][treated],
        ("treated", "after"): after["groups"][treated],
        ("control", "before"): before["groups"][control],
        ("control", "after"): after["groups"][control],
    }
    last_date = {p: _last_key(figures, p, "step_counts") for p in ("before", "after")}
    last_half = {p: _last_key(figures, p, "followups_per_case") for p in ("before", "after")}
    names = {"treated": treated, "control": control}

    out: JSON = {
        "group_by": before.get("group_by"),
        "treated": treated,
        "control": control,
        "before": _period(before),
        "after": _period(after),
        "reference": {"step_counts_date": last_date, "followups_half_year": last_half},
        "metrics": _metrics(figures, {"step_counts": last_date, "followups_per_case": last_half}),
        "tests": _tests(figures, names),
        "paired": None,
    }
    if before_units is not None and after_units is not None and unit_groups is not None:
        out["paired"] = _paired(before_units, after_units, unit_groups, names)
    return out


# ---------------------------------------------------------------- metrics


def _period(result: Mapping[str, Any]) -> JSON:
    p = result.get("period") or {}
    return {"from": p.get("from"), "to": p.get("to"), "days": p.get("days")}


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


def _change(before: Num, after: Num) -> JSON:
    change = _sub(after, before)
    pct = None if change is None or not before else _number(100.0 * change / before)
    return {"before": before, "after": after, "change": change, "change_pct": pct}


def _metrics(
    figures: Mapping[tuple[str, str], Mapping[str, Any]],
    last: Mapping[str, Mapping[str, str | None]],
) -> JSON:
    """`last`: section → period → the date / half-year that section's "@last" stands for."""
    out: JSON = {}
    for key, label, unit, path in METRIC_SPECS:
        values = {
            (role, period): _lookup(figures[role, period], path, last.get(path[0], {}).get(period))
            for role, period in figures
        }
        if all(v is None for v in values.values()) and not _present(figures, path):
            continue  # a figure evaluate() does not give at all
        row: JSON = {"label": label, "unit": unit}
        for role in ("treated", "control"):
            row[role] = _change(values[role, "before"], values[role, "after"])
        row["did"] = _sub(row["treated"]["change"], row["control"]["change"])
        out[key] = row
    return out


def _present(figures: Mapping[tuple[str, str], Mapping[str, Any]], path: tuple[str, ...]) -> bool:
    """Whether the section a metric comes from exists in any of the four figures."""
    return any(path[0] in f for f in figures.values())


# ---------------------------------------------------------------- two-proportion tests


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> JSON:
    """The pooled two-proportion z-test, two-sided: z = (p1 − p2) / √(p(1−p)(1/n1 + 1/n2))."""
    reason = _invalid(x1, n1, x2, n2)
    if reason:
        return {"test": "two_proportion_z", "statistic": None, "p_value": None, "reason": reason}
    pooled = (x1 + x2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        what = "0" if pooled == 0.0 else "1"
        return {
            "test": "two_proportion_z",
            "statistic": None,
            "p_value": 1.0,
            "reason": f"both shares are {what}: no variation to test",
        }
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p = float(2 * stats.norm.sf(abs(z)))
    return {"test": "two_proportion_z", "statistic": z, "p_value": _p(p), "reason": None}


def fisher(x1: int, n1: int, x2: int, n2: int) -> JSON:
    """Fisher's exact test, two-sided, on the table [[x1, n1 − x1], [x2, n2 − x2]]."""
    reason = _invalid(x1, n1, x2, n2)
    if reason:
        return {"test": "fisher_exact", "odds_ratio": None, "p_value": None, "reason": reason}
    res = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="two-sided")
    return {
        "test": "fisher_exact",
        "odds_ratio": _number(res.statistic),
        "p_value": _p(float(res.pvalue)),
        "reason": None,
    }


def _invalid(x1: int, n1: int, x2: int, n2: int) -> str | None:
    if n1 <= 0 or n2 <= 0:
        return "no base: n is 0 in one of the two"
    if min(x1, x2) < 0:
        return "a negative count"
    if x1 > n1 or x2 > n2:
        return "a count exceeds its base"
    return None


def _p(p: float) -> float | None:
    return min(1.0, max(0.0, p)) if math.isfinite(p) else None


def _int(value: Any) -> int | None:
    n = _number(value)
    if n is None or n != int(n):
        return None
    return int(n)


# measure → (count path, base path, what the base is)
_PROPORTIONS = {
    "complaints": (("complaints", "count"), ("complaints", "cases"), "cases"),
    "breakdowns": (("breakdowns", "count"), ("placed_children", "total"), "placed children"),
}


def _side(figures: Mapping[str, Any], measure: str, label: str) -> JSON:
    count_path, base_path, _ = _PROPORTIONS[measure]
    x = _int(_lookup(figures, count_path))
    n = _int(_lookup(figures, base_path))
    share = None if x is None or not n else x / n
    return {"label": label, "count": x, "n": n, "share": share}


def _proportion_test(a: JSON, b: JSON) -> tuple[JSON, JSON]:
    x1, n1, x2, n2 = a["count"], a["n"], b["count"], b["n"]
    if None in (x1, n1, x2, n2):
        reason = "a count or base is missing or not a whole number"
        return (
            {"test": "fisher_exact", "odds_ratio": None, "p_value": None, "reason": reason},
            {"test": "two_proportion_z", "statistic": None, "p_value": None, "reason": reason},
        )
    return fisher(x1, n1, x2, n2), two_proportion_z(x1, n1, x2, n2)


def _tests(figures: Mapping[tuple[str, str], Mapping[str, Any]], names: Mapping[str, str]) -> JSON:
    out: JSON = {}
    for measure in _PROPORTIONS:
        pairs: list[tuple[str, str, str | None, str | None, tuple[str, str], tuple[str, str]]] = [
            (f"{measure}.{p}", "between_groups", p, None, ("treated", p), ("control", p))
            for p in ("before", "after")
        ] + [
            (f"{measure}.{r}", "between_periods", None, r, (r, "before"), (r, "after"))
            for r in ("treated", "control")
        ]
        for key, comparison, period, group, one, two in pairs:
            a = _side(figures[one], measure, f"{names[one[0]]}, {one[1]}")
            b = _side(figures[two], measure, f"{names[two[0]]}, {two[1]}")
            f, z = _proportion_test(a, b)
            out[key] = {
                "measure": measure,
                "comparison": comparison,
                "period": period,
                "group": group,
                "a": a,
                "b": b,
                "fisher": f,
                "z": z,
            }
    return out


# ---------------------------------------------------------------- paired tests over districts


def _paired(
    before_units: Mapping[str, Any],
    after_units: Mapping[str, Any],
    unit_groups: Mapping[str, str],
    names: Mapping[str, str],
) -> JSON:
    for name, result in (("before_units", before_units), ("after_units", after_units)):
        if result.get("group_by") != "district":
            raise ValueError(f"{name} must be evaluated with group_by='district'")
    specs = {key: (label, unit, path) for key, label, unit, path in METRIC_SPECS}
    metrics: JSON = {}
    for key in PAIRED_METRICS:
        label, unit, path = specs[key]
        row: JSON = {"label": label, "unit": unit}
        for role, group in names.items():
            districts = sorted(d for d, g in unit_groups.items() if g == group)
            pairs, excluded = [], []
            for d in districts:
                x = _lookup(before_units["groups"].get(d) or {}, path)
                y = _lookup(after_units["groups"].get(d) or {}, path)
                if x is None or y is None:
                    excluded.append(d)
                else:
                    pairs.append({"unit": d, "before": x, "after": y})
            row[role] = _paired_tests(pairs, excluded)
        metrics[key] = row
    return {"unit": "district", "metrics": metrics}


def paired_tests(before: list[float], after: list[float]) -> JSON:
    """Paired t-test and Wilcoxon signed-rank test of after − before (two-sided)."""
    pairs = [
        {"unit": str(i), "before": x, "after": y}
        for i, (x, y) in enumerate(zip(before, after, strict=True))
    ]
    return _paired_tests(pairs, [])


def _paired_tests(pairs: list[JSON], excluded: list[str]) -> JSON:
    x = np.array([p["before"] for p in pairs], dtype=np.float64)
    y = np.array([p["after"] for p in pairs], dtype=np.float64)
    d = y - x
    n = len(pairs)
    out: JSON = {
        "n": n,
        "units": pairs,
        "excluded": excluded,
        "mean_difference": _number(float(d.mean())) if n else None,
    }
    reason = None
    if n < 2:
        reason = f"fewer than 2 pairs (n = {n})"
    elif not d.any():
        reason = "all differences are 0"
    if reason:
        out["t_test"] = {"test": "ttest_rel", "statistic": None, "p_value": None, "reason": reason}
        out["wilcoxon"] = {"test": "wilcoxon", "statistic": None, "p_value": None, "reason": reason}
        return out
    if np.ptp(d) == 0:
        out["t_test"] = _no_result("ttest_rel", "all differences are equal: no variance")
    else:
        out["t_test"] = _run("ttest_rel", lambda: stats.ttest_rel(y, x))
    out["wilcoxon"] = _run("wilcoxon", lambda: stats.wilcoxon(y, x))
    return out


def _no_result(test: str, reason: str) -> JSON:
    return {"test": test, "statistic": None, "p_value": None, "reason": reason}


def _run(test: str, fn: Callable[[], Any]) -> JSON:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = fn()
        except ValueError as exc:  # scipy refuses, e.g. too few non-zero differences
            return _no_result(test, str(exc))
    p = _p(float(res.pvalue))
    if p is None:
        return _no_result(test, "the test gives no p-value for these data (nearly equal values)")
    return {"test": test, "statistic": _number(float(res.statistic)), "p_value": p, "reason": None}
