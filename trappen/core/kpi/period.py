"""A period of the key figures: a closed range of calendar days `[start, end]`."""

from dataclasses import dataclass
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """The days from `start` to `end`, both included (`Period.year(2014).days == 365`)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"a period must not end ({self.end}) before it starts ({self.start})")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> "Period":
        """The first (1: January–June) or second (2: July–December) half of `year`."""
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30))
        if half == 2:
            return cls(date(year, 7, 1), date(year, 12, 31))
        raise ValueError(f"half must be 1 or 2, not {half}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def stop(self) -> date:
        """The first day after the period (the exclusive end, as an episode's end_date)."""
        return self.end + _ONE_DAY

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def clip(self, other: "Period") -> "Period | None":
        """The days both periods share; None when they share none."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start <= end else None

    def half_years(self) -> list[tuple[str, "Period"]]:
        """Each half-year the period touches, labelled "2014H1", clipped to the period."""
        out: list[tuple[str, Period]] = []
        for year in range(self.start.year, self.end.year + 1):
            for half in (1, 2):
                part = Period.half(year, half).clip(self)
                if part is not None:
                    out.append((f"{year}H{half}", part))
        return out

    def quarter_ends(self) -> list[date]:
        """The last day of every calendar quarter inside the period, in order."""
        out = []
        for year in range(self.start.year, self.end.year + 1):
            for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
                if self.contains(d := date(year, month, day)):
                    out.append(d)
        return out

    def __str__(self) -> str:
        return f"{self.start.isoformat()}–{self.end.isoformat()}"
