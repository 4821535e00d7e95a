"""Server-rendered inline SVG for the simulation page: a fan chart (the 10th-90th percentile
band and the median per year) and the placements by category over time. No script, no style
attribute (the CSP allows neither inline): presentation attributes and CSS classes only."""

from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


def _nice_ticks(low: float, high: float, n: int = 5) -> list[float]:
    if high <= low:
        high = low + 1.0
    raw = (high - low) / n
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = step * int(low // step)
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _f(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float) -> str:
    text = f"{value:,.1f}" if abs(value) < 10 else f"{value:,.0f}"
    return text.replace(",", "\u00a0").replace(".", ",")


class _Frame:
    """Data coordinates to SVG ones, for `n` points on the x axis."""

    def __init__(self, n: int, ticks: Sequence[float]) -> None:
        self.n, self.low, self.high = n, ticks[0], ticks[-1]

    def x(self, i: int) -> float:
        inner = WIDTH - LEFT - RIGHT
        return LEFT + (inner * (i + 0.5) / self.n)

    def y(self, v: float) -> float:
        inner = HEIGHT - TOP - BOTTOM
        return TOP + inner * (self.high - v) / (self.high - self.low)


def _axes(frame: _Frame, ticks: Sequence[float], labels: Sequence[str]) -> SafeString:
    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d5dae1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#4a5563">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                _f(frame.y(t)),
                _f(frame.y(t)),
                LEFT - 6,
                _f(frame.y(t) + 4),
                _number(t),
            )
            for t in ticks
        ),
    )
    xs = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#4a5563">{}</text>',
        ((_f(frame.x(i)), HEIGHT - BOTTOM + 18, label) for i, label in enumerate(labels)),
    )
    zero = ""
    if ticks[0] < 0 < ticks[-1]:
        zero = format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1f2933" stroke-width="1.5"/>',
            LEFT, WIDTH - RIGHT, _f(frame.y(0)), _f(frame.y(0)),
        )  # fmt: skip
    return format_html("{}{}{}", grid, xs, zero)


def fan_chart(
    years: Sequence[dict[str, Any]], key: str, title: str, scale: float = 1e6
) -> SafeString:
    """The yearly 10/50/90 percentiles of `years[i][key]` (in units of `scale`) as a fan."""
    low = [y[key]["low"] / scale for y in years]
    mid = [y[key]["median"] / scale for y in years]
    high = [y[key]["high"] / scale for y in years]
    ticks = _nice_ticks(min(0.0, *low), max(0.0, *high))
    frame = _Frame(len(years), ticks)
    upper = [(frame.x(i), frame.y(v)) for i, v in enumerate(high)]
    lower = [(frame.x(i), frame.y(v)) for i, v in reversed(list(enumerate(low)))]
    band = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower)
    line = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in enumerate(mid))
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3.5" fill="#1d4ed8"><title>{}</title></circle>',
        (
            (
                _f(frame.x(i)),
                _f(frame.y(v)),
                f"{y['year']}: {_number(v)} ({_number(low[i])} – {_number(high[i])})",
            )
            for i, (v, y) in enumerate(zip(mid, years, strict=True))
        ),
    )
    labels = [str(y["year"]) for y in years]
    return format_html(
        '<svg class="fan" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        "<title>{}</title>{}"
        '<polygon points="{}" fill="#93c5fd" fill-opacity="0.55" stroke="none"/>'
        '<polyline points="{}" fill="none" stroke="#1d4ed8" stroke-width="2.5"/>{}</svg>',
        WIDTH, HEIGHT, title, title, _axes(frame, ticks, labels), band, line, dots,
    )  # fmt: skip


COLOURS = ("#b91c1c", "#15803d", "#a16207")


def lines_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], title: str
) -> SafeString:
    """A line per series (name, values per x label), with a legend below."""
    values = [v for _name, vs in series for v in vs]
    ticks = _nice_ticks(0.0, max([1.0, *values]))
    frame = _Frame(len(labels), ticks)
    lines = []
    for (name, vs), colour in zip(series, COLOURS, strict=False):
        points = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in enumerate(vs))
        lines.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5">'
                "<title>{}</title></polyline>",
                points,
                colour,
                name,
            )  # fmt: skip
        )
    return format_html(
        '<svg class="fan" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        "<title>{}</title>{}{}</svg>",
        WIDTH, HEIGHT, title, title, _axes(frame, ticks, labels), mark_safe("".join(lines)),  # noqa: S308
    )  # fmt: skip
