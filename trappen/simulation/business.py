"""The business case beside what happened: per plan year the investment and expected saving
as entered, the realised saving on placements by the key figures (spending in the year before
the plan's first year − the year's spending, as KORA's table 2.5), the booked accounts, and the
differences. Aggregates only."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from trappen.core.kpi import Period
from trappen.evaluation import limits
from trappen.evaluation.figures import Query
from trappen.simulation.models import BookedAccount, PlanYear


@dataclass(frozen=True)
class Line:
    year: int
    investment: float | None
    expected_saving: float | None
    spending: float | None  # on placements by the key figures
    realised_saving: float | None
    booked: float | None
    note: str

    @property
    def difference(self) -> float | None:
        """Realised − expected saving (above 0: better than planned)."""
        if self.realised_saving is None or self.expected_saving is None:
            return None
        return self.realised_saving - self.expected_saving

    @property
    def booked_difference(self) -> float | None:
        """Booked accounts − spending by the key figures."""
        if self.booked is None or self.spending is None:
            return None
        return self.booked - self.spending


def spending_of(year: int, today: date, group: str | None = None) -> float | None:
    """Spending on placements in `year` by the key figures (to today in the current year), of
    the district group `group` (None: the whole municipality); None for a year not begun.
    `limits.Busy` when every evaluation slot is taken."""
    start = date(year, 1, 1)
    if start > today:
        return None
    figures = limits.figures_for(Query(Period(start, min(date(year, 12, 31), today))))
    report = figures.after
    chosen = report.total if group is None else report.groups.get(group)
    value = None if chosen is None else chosen.spending.total
    return None if value is None else float(value)


def lines(
    today: date, *, base: int | None = None, group: str | None = None
) -> tuple[int | None, float | None, list[Line]]:
    """The base year (default: the year before the plan's first), its spending, and a line per
    plan year or year with booked accounts; spending of `group` (None: all)."""
    plan = {p.year: p for p in PlanYear.objects.order_by("year")}
    booked = dict(
        BookedAccount.objects.values_list("year").annotate(s=Sum("amount")).values_list("year", "s")
    )
    years = sorted(set(plan) | set(booked))
    if not years:
        return None, None, []
    if base is None:
        base = min(plan) - 1 if plan else None
    base_spending = spending_of(base, today, group) if base else None
    out = []
    for year in years:
        spent = spending_of(year, today, group)
        p = plan.get(year)
        realised = (
            base_spending - spent if base_spending is not None and spent is not None else None
        )
        out.append(
            Line(
                year=year,
                investment=float(p.investment) if p else None,
                expected_saving=float(p.expected_saving) if p else None,
                spending=spent,
                realised_saving=realised if p else None,
                booked=float(booked[year]) if year in booked else None,
                note=p.note if p else "",
            )
        )
    return base, base_spending, out
