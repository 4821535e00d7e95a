"""The rules for recording a measurement: dates and the informant's ages (docs/wellbeing.md)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import sdq_record
from trappen.core.sdq import Informant

TODAY = date(2026, 12, 3)
BORN = date(2012, 6, 15)


def test_the_shipped_versions_give_parent_and_teacher_4_17_and_self_11_17():
    v = sdq_record.default_versions()
    assert v.range_of(Informant.PARENT) == (4, 17)
    assert v.range_of(Informant.TEACHER) == (4, 17)
    assert v.range_of(Informant.SELF) == (11, 17)
    assert "sdqinfo.org" in v.source


@pytest.mark.parametrize(
    ("on", "ok"),
    [
        (date(2023, 6, 14), False),  # 10 the day before the birthday
        (date(2023, 6, 15), True),  # 11 on the birthday
        (date(2030, 6, 14), True),  # still 17
        (date(2030, 6, 15), False),  # 18
    ],
)
def test_a_self_report_only_at_11_to_17(on, ok):
    found = sdq_record.problems(Informant.SELF, BORN, on, date(2031, 1, 1))
    assert (found == []) is ok
    if not ok:
        assert isinstance(found[0], sdq_record.AgeOutOfRange)
        assert (found[0].low, found[0].high) == (11, 17)


def test_a_parent_sdq_from_4():
    assert sdq_record.problems(Informant.PARENT, BORN, date(2016, 6, 14), TODAY)
    assert not sdq_record.problems(Informant.PARENT, BORN, date(2016, 6, 15), TODAY)


def test_before_birth_and_in_the_future_are_refused_and_named():
    before = sdq_record.problems(Informant.PARENT, BORN, date(2012, 6, 14), TODAY)
    assert [p.kind for p in before] == ["before_birth"]
    future = sdq_record.problems(Informant.PARENT, BORN, date(2026, 12, 4), TODAY)
    assert [p.kind for p in future] == ["future"]
    assert "in the future" in str(future[0])
    with pytest.raises(sdq_record.MeasurementDateError):
        sdq_record.check(Informant.PARENT, BORN, date(2026, 12, 4), TODAY)


def test_malformed_versions_are_refused():
    good = {"source": {"url": "x"}, "ages": {"parent": [4, 17], "teacher": [4, 17]}}
    with pytest.raises(ValueError, match="no ages for self"):
        sdq_record.parse_versions(good)
    with pytest.raises(ValueError, match="low, high"):
        sdq_record.parse_versions({**good, "ages": {**good["ages"], "self": [17, 11]}})


@given(
    st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.dates(date(2000, 1, 1), date(2030, 12, 31))
)
def test_age_on_agrees_with_counting_birthdays(birth, day):
    if day < birth:
        return
    birthdays = sum(
        1
        for year in range(birth.year + 1, day.year + 1)
        if (day.month, day.day) >= (birth.month, birth.day) or year < day.year
    )
    assert sdq_record.age_on(birth, day) == birthdays
