"""Day totals and spending that reproduce the published tables exactly, after rounding.

årsbørn are whole days divided by the days of the period, so each published figure allows only a
few whole-day totals; the types must also add up to the categories and the total, shares must
round right, and the accounts (spending and unit cost) must agree with the days. This module
searches those few candidates; `history` then lays out episodes with exactly these day totals.
"""

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

from trappen.demo.kora import targets
from trappen.demo.kora.targets import CATEGORY_OF, TYPES

# Stay this far (as a share of the rounding half-width) inside every rounding interval, so
# float arithmetic in another engine can never land on the other side of a boundary.
MARGIN = 0.02


class Infeasible(Exception):
    pass


def interval(value: float, half_width: float) -> tuple[float, float]:
    """Values that round to `value` at this precision, shrunk by the margin."""
    inner = half_width * (1 - MARGIN)
    return value - inner, value + inner


def rounds_to(x: float, value: float, half_width: float) -> bool:
    lo, hi = interval(value, half_width)
    return lo <= x <= hi


def day_candidates(aarsboern: float, days: int) -> list[int]:
    if aarsboern == 0:
        return [0]
    lo, hi = interval(aarsboern, 0.005)
    return list(range(math.ceil(lo * days), math.floor(hi * days) + 1))


@dataclass(frozen=True)
class Accounts:
    """Spending in kr. per category (institution, family_care, home_based) for one year."""

    spending: dict[str, float]


def unit_cost_tolerance(unit: float, spend_k: float, aarsboern: float) -> float:
    """How far a unit cost may be from the published one "within rounding": the published unit
    costs were computed from spending and årsbørn that are themselves rounded (KORA's totals
    cannot all be met to the krone at once), so the tolerance is that rounding carried through
    spending / årsbørn: half a thousand kroner of spending and half a hundredth of an årsbarn."""
    if aarsboern == 0 or spend_k == 0:
        return 0.5
    return unit * (500 / (spend_k * 1000) + 0.005 / aarsboern)


def spending_for(
    days_by_category: dict[str, int], spend_k: dict[str, int], unit: dict[str, int]
) -> Accounts | None:
    """Spending per category that rounds to the published spending (per category and in
    total) with unit costs within `unit_cost_tolerance`, as close to the published unit costs
    as possible; None when these day totals cannot give that."""
    chosen: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for cat, days in days_by_category.items():
        aarsboern = days / 365
        tol = unit_cost_tolerance(unit[cat], spend_k[cat], aarsboern) * (1 - MARGIN)
        lo1, hi1 = interval(spend_k[cat] * 1000, 500)
        lo, hi = max(lo1, (unit[cat] - tol) * aarsboern), min(hi1, (unit[cat] + tol) * aarsboern)
        if lo > hi:
            return None
        ranges[cat] = (lo, hi)
        chosen[cat] = min(max(unit[cat] * aarsboern, lo), hi)
    total_aarsboern = sum(days_by_category.values()) / 365
    tol = unit_cost_tolerance(unit["total"], spend_k["total"], total_aarsboern) * (1 - MARGIN)
    lo1, hi1 = interval(spend_k["total"] * 1000, 500)
    lo = max(lo1, (unit["total"] - tol) * total_aarsboern, sum(r[0] for r in ranges.values()))
    hi = min(hi1, (unit["total"] + tol) * total_aarsboern, sum(r[1] for r in ranges.values()))
    if lo > hi:
        return None
    total = sum(chosen.values())
    if not lo <= total <= hi:
        # Move every category the same share of its room towards the total's range.
        goal = min(max(total, lo), hi)
        room = {
            c: (r[1] - chosen[c]) if goal > total else (chosen[c] - r[0]) for c, r in ranges.items()
        }
        share = abs(goal - total) / sum(room.values())
        sign = 1 if goal > total else -1
        chosen = {c: chosen[c] + sign * share * room[c] for c in chosen}
    return Accounts(chosen)


def unit_cost_distance(accounts: Accounts, days: dict[str, int], unit: dict[str, int]) -> float:
    """Relative distance of the resulting unit costs (per category and total) from the
    published ones."""
    total_days = sum(days.values())
    cost = {c: accounts.spending[c] / (d / 365) for c, d in days.items() if d}
    cost["total"] = sum(accounts.spending.values()) / (total_days / 365)
    return sum(abs(v - unit[c]) / unit[c] for c, v in cost.items())


def _category_days(days: dict[str, int]) -> dict[str, int]:
    out = {"institution": 0, "family_care": 0, "home_based": 0}
    for t, d in days.items():
        out[CATEGORY_OF[t]] += d
    return out


def period_days(group: str, column: str, length: int, year: int | None) -> dict[str, int]:
    """Day totals per placement type for "medio_2013" (181 days) or "ultimo_2015" (365 days)
    that round to every published figure; for 2015 also consistent with the accounts."""
    pub = targets.aarsboern(group, column)
    options = [day_candidates(pub.by_type[t], length) for t in TYPES]
    best: tuple[float, dict[str, int]] | None = None
    for combo in itertools.product(*options):
        days = dict(zip(TYPES, combo, strict=True))
        total = sum(combo)
        if not rounds_to(total / length, pub.total, 0.005):
            continue
        cats = _category_days(days)
        if not all(rounds_to(cats[c] / length, pub.by_category[c], 0.005) for c in cats):
            continue
        shares = {**days, **cats}
        if not all(rounds_to(shares[k] / total, pub.share[k], 0.005) for k in pub.share):
            continue
        # Prefer the combination closest to the published values.
        distance = sum(abs(d / length - pub.by_type[t]) for t, d in days.items())
        if year is not None:
            unit = targets.unit_cost(group, year)
            accounts = spending_for(cats, targets.spending(group, year), unit)
            if accounts is None:
                continue
            distance += unit_cost_distance(accounts, cats, unit)
        if best is None or distance < best[0]:
            best = (distance, days)
    if best is None:
        raise Infeasible(f"no day totals for {group} {column}")
    return best[1]


def year_2013_category_days(group: str, h1_days: dict[str, int]) -> dict[str, int]:
    """Days per category in calendar 2013, consistent with the 2013 accounts (tables 2.5 and
    2.6) and at least the days already placed in the first half."""
    spend, unit = targets.spending(group, 2013), targets.unit_cost(group, 2013)
    h1 = _category_days(h1_days)
    options: list[Iterable[int]] = []
    for cat in ("institution", "family_care", "home_based"):
        centre = spend[cat] * 1000 / unit[cat] * 365
        options.append(range(max(h1[cat], math.floor(centre) - 4), math.ceil(centre) + 5))
    best: tuple[float, dict[str, int]] | None = None
    for combo in itertools.product(*options):
        cats = dict(zip(("institution", "family_care", "home_based"), combo, strict=True))
        accounts = spending_for(cats, spend, unit)
        if accounts is None:
            continue
        distance = unit_cost_distance(accounts, cats, unit)
        if best is None or distance < best[0]:
            best = (distance, cats)
    if best is None:
        raise Infeasible(f"no 2013 day totals for {group}")
    return best[1]
