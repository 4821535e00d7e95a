"""Daily numbers of placed children per placement type, with exact day totals per window.

`history` turns these daily stocks into episodes: the årsbørn of a window are its day total
divided by its length, so getting the day totals right is getting the tables right.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from trappen.demo.kora import solve, targets
from trappen.demo.kora.targets import CATEGORY_OF, TYPES

# The windows the tables constrain, and the history around them.
HISTORY_START = date(2012, 1, 1)
HISTORY_END = date(2016, 12, 31)
WINDOWS = [
    (date(2013, 1, 1), date(2013, 6, 30)),  # "medio 2013"
    (date(2013, 7, 1), date(2013, 12, 31)),  # rest of 2013 (the 2013 accounts)
    (date(2014, 1, 1), date(2014, 12, 31)),  # 2014 (breakdowns per placed årsbarn)
    (date(2015, 1, 1), date(2015, 12, 31)),  # "ultimo 2015" and the 2015 accounts
]


def length(window: tuple[date, date]) -> int:
    return (window[1] - window[0]).days + 1


@dataclass(frozen=True)
class Plan:
    """Day totals per placement type and window, and the spending per category and year."""

    days: dict[str, list[int]]  # type → [W1, W2, W3, W4]
    spending: dict[int, dict[str, float]]  # 2013/2015 → category → kr.


def breakdown_aarsboern_2014(group: str) -> float:
    """Placed årsbørn in 2014 that make table 3.1's breakdown share come out as published."""
    count, pct = targets.breakdowns(group, 2014)
    return count / (pct / 100) if count else 0.0


def plan(group: str) -> Plan:
    h1 = solve.period_days(group, "medio_2013", length(WINDOWS[0]), None)
    y15 = solve.period_days(group, "ultimo_2015", length(WINDOWS[3]), 2015)
    c13 = solve.year_2013_category_days(group, h1)
    level1 = {t: h1[t] / length(WINDOWS[0]) for t in TYPES}
    level4 = {t: y15[t] / length(WINDOWS[3]) for t in TYPES}
    # 2014 in between, scaled so that the year's total matches the breakdown share.
    guess3 = {t: (level1[t] + 2 * level4[t]) / 3 for t in TYPES}
    scale = breakdown_aarsboern_2014(group) / sum(guess3.values())
    d3 = {t: round(guess3[t] * scale * 365) for t in TYPES}
    # The second half of 2013: what the 2013 accounts leave after the first half, split over
    # the category's types by their level between the first half and 2014.
    d2: dict[str, int] = {}
    for cat in ("institution", "family_care", "home_based"):
        types = [t for t in TYPES if CATEGORY_OF[t] == cat]
        rest = c13[cat] - sum(h1[t] for t in types)
        weights = {t: level1[t] + guess3[t] for t in types}
        total_weight = sum(weights.values()) or 1.0
        shares = {t: round(rest * weights[t] / total_weight) for t in types}
        shares[types[0]] += rest - sum(shares.values())  # exact category total
        d2.update(shares)
    days = {t: [h1[t], d2[t], d3[t], y15[t]] for t in TYPES}
    spending = {}
    for year, cats in ((2013, c13), (2015, _categories(y15))):
        accounts = solve.spending_for(
            cats, targets.spending(group, year), targets.unit_cost(group, year)
        )
        assert accounts is not None
        spending[year] = accounts.spending
    return Plan(days, spending)


def _categories(days: dict[str, int]) -> dict[str, int]:
    out = {"institution": 0, "family_care": 0, "home_based": 0}
    for t, d in days.items():
        out[CATEGORY_OF[t]] += d
    return out


def daily(totals: list[int], rng: random.Random) -> dict[date, int]:
    """A daily stock from HISTORY_START to HISTORY_END with these totals in WINDOWS: level
    before the first window as in it, ramps between windows, down to none during 2016."""
    levels = [t / length(w) for t, w in zip(totals, WINDOWS, strict=True)]
    stock: dict[date, int] = {}
    day = HISTORY_START
    while day < WINDOWS[0][0]:
        stock[day] = round(levels[0])
        day += timedelta(days=1)
    for i, (window, total) in enumerate(zip(WINDOWS, totals, strict=True)):
        n = length(window)
        start = levels[i - 1] if i else levels[0]
        end = levels[i + 1] if i + 1 < len(levels) else levels[i]
        # A ramp from halfway-from-the-previous level to halfway-to-the-next one, shifted
        # until its whole children stay just under the total; the rest is one block of
        # single extra days (one short episode, not a flicker of one-day ones).
        a, b = (start + levels[i]) / 2, (levels[i] + end) / 2

        def ramp(shift: float, a: float = a, b: float = b, n: int = n) -> list[int]:
            return [max(0, round(a + (b - a) * k / max(n - 1, 1) + shift)) for k in range(n)]

        values = [0] * n
        if total:
            lo, hi = -max(a, b) - 1, float(total)
            for _ in range(60):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if sum(ramp(mid)) <= total else (lo, mid)
            values = ramp(lo)
            extra = total - sum(values)
            q, r = divmod(extra, n)
            at = rng.randrange(n - r + 1)
            values = [v + q + (1 if at <= k < at + r else 0) for k, v in enumerate(values)]
        for offset, value in enumerate(values):
            stock[window[0] + timedelta(days=offset)] = value
    # 2016: the history ends; placements end during the year.
    last = stock[WINDOWS[-1][1]]
    day = WINDOWS[-1][1] + timedelta(days=1)
    remaining = (HISTORY_END - day).days + 1
    k = 0
    while day <= HISTORY_END:
        stock[day] = round(last * (1 - k / remaining))
        day += timedelta(days=1)
        k += 1
    return stock
