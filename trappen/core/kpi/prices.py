"""Fixed prices: a price index by year, and the factor that brings each year to the base year."""

from collections.abc import Mapping

from trappen.core.kpi.period import Period


def parse_price_index(text: str) -> dict[int, float]:
    """A price index from CSV text, one `year,index` a line, e.g. Danmarks Statistik's PRIS111.

    A first line `year,index` (any case) is a header and skipped, as are blank lines. A line
    separated by `;` may use a decimal comma (`2014;100,4`). Every year once; indices > 0.
    """
    index: dict[int, float] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if ";" in line:
            cells = [cell.strip().replace(",", ".") for cell in line.split(";")]
        else:
            cells = [cell.strip() for cell in line.split(",")]
        if number == 1 and [c.lower() for c in cells] == ["year", "index"]:
            continue
        if len(cells) != 2:
            raise ValueError(f"price index line {number}: expected 'year,index', got {line!r}")
        year_text, value_text = cells
        try:
            year = int(year_text)
        except ValueError:
            raise ValueError(
                f"price index line {number}: the year {year_text!r} is not a whole number"
            ) from None
        try:
            value = float(value_text)
        except ValueError:
            raise ValueError(
                f"price index line {number}: the index {value_text!r} is not a number"
            ) from None
        if not value > 0 or value == float("inf"):
            raise ValueError(f"price index line {number}: the index for {year} must be > 0")
        if year in index:
            raise ValueError(f"price index line {number}: the year {year} appears twice")
        index[year] = value
    if not index:
        raise ValueError("the price index has no years")
    return index


def deflators(
    period: Period, prices: Mapping[int, float] | None, base_year: int | None
) -> dict[int, float] | None:
    """For every calendar year of the period: index[base_year] / index[year], the factor that
    turns that year's kroner into base-year kroner. None without prices (current prices).

    Every year the period touches must have an index, and so must the base year.
    """
    if prices is None and base_year is None:
        return None
    if prices is None or base_year is None:
        raise ValueError("fixed prices need both a price index and a base year")
    years = range(period.start.year, period.end.year + 1)
    missing = [year for year in (base_year, *years) if year not in prices]
    if missing:
        listed = ", ".join(str(year) for year in sorted(set(missing)))
        raise ValueError(f"the price index has no index for {listed}")
    for year in (base_year, *years):
        if not prices[year] > 0:
            raise ValueError(f"the price index for {year} must be > 0")
    return {year: prices[base_year] / prices[year] for year in years}
