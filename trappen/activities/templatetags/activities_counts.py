"""The steering page's table of the professions' activities (aggregated, no case content)."""

from datetime import date
from typing import Any

from django import template

from ..counts import per_half_year
from ..models import Activity

register = template.Library()


@register.inclusion_tag("activities/counts_table.html")
def activity_counts_table(start: date | None, end: date | None) -> dict[str, Any]:
    if start is None or end is None:
        return {"rows": []}
    counts = per_half_year(start, end)
    kinds = Activity.Kind.choices
    rows = [
        {"half": str(half), "group": group, "cells": [cells.get(k, 0) for k, _ in kinds]}
        for (half, group), cells in sorted(
            counts.items(), key=lambda kv: (kv[0][0].start, kv[0][1])
        )
    ]
    return {"rows": rows, "kinds": [label for _, label in kinds], "start": start, "end": end}
