"""A long period's step counts: one row per year (its last count), not a page of quarters."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from trappen.evaluation.kora import by_year

days = st.lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), unique=True)


@given(days)
def test_by_year_keeps_the_last_count_of_each_year(dates):
    dated = sorted((d.isoformat(), {"0": i}) for i, d in enumerate(dates))
    kept = by_year(dated)
    years = {d.year for d in dates}
    assert [date.fromisoformat(key).year for key, _ in kept] == sorted(years)
    for key, values in kept:
        year = date.fromisoformat(key).year
        assert key == max(d for d in dates if d.year == year).isoformat()
        assert values == dict(dated)[key]
