from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import cpr


def make(born: date, serial: str = "1234") -> str:
    """A CPR string for `born`, choosing a 7th digit that encodes the right century."""
    yy = born.year % 100
    if born.year < 1900:
        seventh = 5  # 5-8 with yy >= 58 → 1800s
    elif born.year < 2000:
        seventh = 0
    else:
        seventh = 4  # 4 or 9 with yy <= 36 → 2000s
    return f"{born:%d%m}{yy:02d}{seventh}{serial[1:]}"


@given(st.dates(min_value=date(1937, 1, 1), max_value=date(2036, 12, 31)))
def test_birth_date_round_trips(born):
    assert cpr.parse(make(born)).birth_date == born


@pytest.mark.parametrize(
    ("raw", "born"),
    [
        ("0101650123", date(1965, 1, 1)),  # 7th digit 0-3: 1900s
        ("0101154123", date(2015, 1, 1)),  # 4 with yy <= 36: 2000s
        ("0101454123", date(1945, 1, 1)),  # 4 with yy >= 37: 1900s
        ("0101109123", date(2010, 1, 1)),  # 9 like 4
        ("0101105123", date(2010, 1, 1)),  # 5-8 with yy <= 57: 2000s
        ("0101605123", date(1860, 1, 1)),  # 5-8 with yy >= 58: 1800s
    ],
)
def test_century_from_seventh_digit(raw, born):
    assert cpr.parse(raw).birth_date == born


def test_accepts_dash_and_spaces():
    assert cpr.parse(" 010115-4123 ").digits == "0101154123"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12345", "format"),
        ("01011541234", "format"),
        ("01011a4123", "format"),
        ("０１０１１５４１２３", "format"),  # full-width digits are not ASCII digits
        ("3102154123", "date"),
        ("0013154123", "date"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(cpr.CprError) as caught:
        cpr.parse(raw)
    assert caught.value.code == code


def test_date_of_birth_in_the_future_is_refused():
    today = date(2026, 11, 23)
    with pytest.raises(cpr.CprError) as caught:
        cpr.parse(make(today + timedelta(days=1)), today=today)
    assert caught.value.code == "future"
    assert cpr.parse(make(today), today=today).birth_date == today


@given(st.text(max_size=20))
def test_parse_never_fails_other_than_with_cpr_error(raw):
    try:
        result = cpr.parse(raw)
    except cpr.CprError:
        return
    assert len(result.digits) == 10 and result.digits.isdigit()


@given(st.from_regex(r"\A[0-9]{10}\Z"))
def test_mask_hides_the_serial(digits):
    masked = cpr.mask(digits)
    assert masked == f"{digits[:6]}-xxxx"
    assert digits[6:] not in masked.replace(digits[:6], "")


def test_sex_from_last_digit():
    assert cpr.parse("0101154123").sex is cpr.Sex.MALE
    assert cpr.parse("0101154122").sex is cpr.Sex.FEMALE
