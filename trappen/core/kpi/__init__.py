"""The key figures of the KORA evaluation, computed from a `Dataset` (see docs/kpi.md)."""

from trappen.core.kpi.frames import GROUP_BY_CHOICES
from trappen.core.kpi.period import Period
from trappen.core.kpi.prices import parse_price_index
from trappen.core.kpi.report import evaluate

__all__ = ["GROUP_BY_CHOICES", "Period", "evaluate", "parse_price_index"]
