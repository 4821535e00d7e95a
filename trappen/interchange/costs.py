"""The plausible daily costs an import checks episodes against, read from
`core/data/daily_costs.json` (its `source` says where the numbers come from;
docs/interchange.md)."""

from functools import cache

from trappen.core import ruledata
from trappen.core.interchange import CostRanges
from trappen.core.staircase import PlacementType

RANGES_FILE = "daily_costs.json"


@cache
def plausible_ranges(name: str = RANGES_FILE) -> CostRanges:
    data = ruledata.load(name)
    path = ruledata.where(name)

    def bounds(pair: list[float]) -> tuple[float, float]:
        low, high = (float(v) for v in pair)
        if not 0 <= low < high:
            raise ValueError(f"{path}: a range must have 0 <= low < high, not {pair}")
        return low, high

    by_type = {kind: bounds(pair) for kind, pair in data["by_placement_type"].items()}
    unknown = set(by_type) - {p.value for p in PlacementType}
    if unknown:
        raise ValueError(f"{path}: unknown placement types {sorted(unknown)}")
    by_step = {int(step): bounds(pair) for step, pair in data["by_step"].items()}
    return CostRanges(source=data["source"], by_placement_type=by_type, by_step=by_step)
