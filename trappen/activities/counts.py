"""Activities counted for the steering pages: per half-year, district group and kind."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import ExtractYear

from .models import Activity


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int  # 1: January-June, 2: July-December

    def __str__(self) -> str:
        return f"{self.year} H{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)


def half_year_of(day: date) -> HalfYear:
    return HalfYear(day.year, 1 if day.month <= 6 else 2)


def per_half_year(start: date, end: date) -> dict[tuple[HalfYear, str], dict[str, int]]:
    """{(half-year, district group): {kind: number of activities}} for activities held from
    `start` to `end` (inclusive), grouped by the group of the child's district."""
    rows = (
        Activity.objects.filter(held_on__gte=start, held_on__lte=end)
        .annotate(
            year=ExtractYear("held_on"),
            half=Case(
                When(held_on__month__lte=6, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .values("year", "half", "case__child__district__group__name", "kind")
        .annotate(n=Count("pk"))
        .order_by("year", "half", "case__child__district__group__name", "kind")
    )
    out: dict[tuple[HalfYear, str], dict[str, int]] = {}
    for row in rows:
        key = (HalfYear(row["year"], row["half"]), row["case__child__district__group__name"])
        out.setdefault(key, {})[row["kind"]] = row["n"]
    return out
