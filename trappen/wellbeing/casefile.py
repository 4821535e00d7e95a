"""The child's SDQs on the case page: every measurement with its scores in coloured four bands,
and total difficulties over time per informant as a small server-drawn SVG chart. One query."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from trappen.access.policy.wellbeing import may_record_sdq, may_view_sdq
from trappen.casefile import registry
from trappen.casefile.registry import Panel
from trappen.cases.models import Case
from trappen.core import sdq
from trappen.core.sdq import Informant, Scale, Scheme

from .models import SdqMeasurement

BAND_LABELS = {
    "close to average": _("close to average"),
    "slightly raised": _("slightly raised"),
    "high": _("high"),
    "very high": _("very high"),
    "slightly lowered": _("slightly lowered"),
    "low": _("low"),
    "very low": _("very low"),
}
SHOWN = (
    Scale.EMOTIONAL,
    Scale.CONDUCT,
    Scale.HYPERACTIVITY,
    Scale.PEER,
    Scale.PROSOCIAL,
    Scale.TOTAL_DIFFICULTIES,
    Scale.IMPACT,
)
# The chart's drawing area, in SVG units.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 40, 16, 12, 28
MAX_TOTAL = 40


@dataclass(frozen=True)
class Cell:
    value: int | None
    band: str  # translated label, "" for none
    level: int | None  # 0 close to average … 3 very high (or very low), None without a band


@dataclass(frozen=True)
class Row:
    measurement: SdqMeasurement
    cells: tuple[Cell, ...]


def cell(banding: sdq.Banding, informant: Informant, scale: Scale, value: int | None) -> Cell:
    label = banding.band(informant, Scheme.FOUR, scale, value)
    if label is None:
        return Cell(value, "", None)
    level = sdq.expected_labels(Scheme.FOUR, scale).index(label)
    return Cell(value, str(BAND_LABELS.get(label, label)), level)


def _x(day: date, first: date, last: date) -> float:
    span = (last - first).days or 1
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span


def _y(total: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - total / MAX_TOTAL)


def chart(measurements: Sequence[SdqMeasurement]) -> dict[str, Any] | None:
    """Polylines of total difficulties per informant, or None with fewer than two scored."""
    scored = [m for m in measurements if m.total_difficulties is not None]
    if len(scored) < 2:
        return None
    first = min(m.measured_on for m in scored)
    last = max(m.measured_on for m in scored)
    series = []
    for informant in Informant:
        own = sorted(
            (m for m in scored if m.informant == informant.value), key=lambda m: m.measured_on
        )
        if not own:
            continue
        points = [
            (
                round(_x(m.measured_on, first, last), 1),
                round(_y(m.total_difficulties or 0), 1),
                m,
            )
            for m in own
        ]
        series.append(
            {
                "informant": informant.value,
                "label": own[0].get_informant_display(),
                "points": " ".join(f"{x},{y}" for x, y, _m in points),
                "dots": [{"x": x, "y": y, "m": m} for x, y, m in points],
            }
        )
    ticks = [{"value": v, "y": round(_y(v), 1)} for v in (0, 10, 20, 30, 40)]
    year_ticks = [
        {"label": y, "x": round(_x(date(y, 1, 1), first, last), 1)}
        for y in range(first.year + 1, last.year + 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "series": series,
        "ticks": ticks,
        "years": year_ticks,
        "first": first,
        "last": last,
    }


@registry.panel(order=47)
def panel(case: Case, user: Any) -> Panel | None:
    if not may_view_sdq(user, case):
        return None
    measurements = list(
        SdqMeasurement.objects.filter(child_id=case.child_id).order_by("measured_on", "pk")
    )
    banding = sdq.default_banding()
    rows = [
        Row(
            m,
            tuple(
                cell(banding, Informant(m.informant), scale, getattr(m, scale.value))
                for scale in SHOWN
            ),
        )
        for m in reversed(measurements)
    ]
    return Panel(
        "wellbeing/panel.html",
        {
            "case": case,
            "rows": rows,
            "chart": chart(measurements),
            "may_record": may_record_sdq(user, case),
        },
    )
