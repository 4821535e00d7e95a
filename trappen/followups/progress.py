"""The child's progression on the case page: each goal's attainment and the child's own rating
at the follow-ups, laid out as inline SVG (no JavaScript). The numbers are in a table beside
the chart for screen readers and print."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 600, 190
LEFT, RIGHT, TOP, BOTTOM = 46, 14, 12, 30
COLOURS = 6  # the series' colour classes s0-s5 / f0-f5 in app.css


@dataclass(frozen=True)
class Point:
    day: date
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Series:
    key: int
    label: str
    colour: int
    points: tuple[Point, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    label: str
    at: float


@dataclass(frozen=True)
class Chart:
    series: tuple[Series, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    zero: float | None  # the y of the expected level, drawn dashed
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def days(self) -> list[date]:
        return sorted({p.day for s in self.series for p in s.points})


def chart(
    lines: Sequence[tuple[int, str, Iterable[tuple[date, int]]]],
    low: int,
    high: int,
    *,
    y_labels: Sequence[int] | None = None,
    zero: int | None = None,
) -> Chart | None:
    """A line per (key, label, [(day, value)]), on a y axis from `low` to `high`; None when
    nothing is rated. One day alone sits in the middle."""
    data = [(k, label, sorted(values)) for k, label, values in lines]
    data = [(k, label, values) for k, label, values in data if values]
    if not data:
        return None
    days = sorted({d for _, _, values in data for d, _ in values})
    first, last = days[0], days[-1]
    span = (last - first).days
    plot_w = WIDTH - RIGHT - LEFT
    plot_h = HEIGHT - BOTTOM - TOP

    def x(day: date) -> float:
        return LEFT + plot_w / 2 if span == 0 else LEFT + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    series = tuple(
        Series(
            key,
            label,
            index % COLOURS,
            tuple(Point(d, v, x(d), y(v)) for d, v in values),
        )
        for index, (key, label, values) in enumerate(data)
    )
    x_days = [first] if span == 0 else [first, first + (last - first) / 2, last]
    return Chart(
        series=series,
        y_ticks=tuple(
            Tick(f"{v:+d}" if zero is not None and v else str(v), y(v))
            for v in (y_labels or range(low, high + 1))
        ),
        x_ticks=tuple(Tick(d.strftime("%d.%m.%y"), x(d)) for d in x_days),
        zero=y(zero) if zero is not None else None,
    )
