from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core.kpi import Period


def test_days_and_str():
    p = Period(date(2013, 7, 1), date(2015, 12, 31))
    assert p.days == 914
    assert str(p) == "2013-07-01–2015-12-31"
    assert Period.year(2016).days == 366
    assert Period(date(2014, 1, 1), date(2014, 1, 1)).days == 1


def test_start_after_end_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2014, 1, 2), date(2014, 1, 1))


def test_half_and_year():
    assert Period.half(2014, 1) == Period(date(2014, 1, 1), date(2014, 6, 30))
    assert Period.half(2014, 2) == Period(date(2014, 7, 1), date(2014, 12, 31))
    with pytest.raises(ValueError):
        Period.half(2014, 3)


def test_contains():
    p = Period.year(2014)
    assert p.contains(date(2014, 1, 1)) and p.contains(date(2014, 12, 31))
    assert not p.contains(date(2013, 12, 31)) and not p.contains(date(2015, 1, 1))


def test_half_years_are_clipped():
    p = Period(date(2013, 9, 15), date(2014, 2, 10))
    assert p.half_years() == [
        ("2013H2", Period(date(2013, 9, 15), date(2013, 12, 31))),
        ("2014H1", Period(date(2014, 1, 1), date(2014, 2, 10))),
    ]


def test_quarter_ends():
    p = Period(date(2013, 7, 1), date(2014, 5, 1))
    assert p.quarter_ends() == [date(2013, 9, 30), date(2013, 12, 31), date(2014, 3, 31)]


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 2000))
def test_half_years_partition_the_period(start, length):
    end = date.fromordinal(min(start.toordinal() + length, date(2030, 12, 31).toordinal()))
    p = Period(start, end)
    parts = [part for _, part in p.half_years()]
    assert sum(part.days for part in parts) == p.days
    assert parts[0].start == p.start and parts[-1].end == p.end
    for a, b in zip(parts, parts[1:], strict=False):
        assert b.start.toordinal() == a.end.toordinal() + 1
