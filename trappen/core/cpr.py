"""Danish CPR numbers: parsing, the date of birth they encode, masking.

The 7th digit decides the century (CPR-kontoret's table). The modulus-11 check is not
applied: numbers issued since 2007 need not satisfy it.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CprError(ValueError):
    """An invalid CPR number; `code` names the reason for the user-facing message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


@dataclass(frozen=True)
class Cpr:
    digits: str

    @property
    def birth_date(self) -> date:
        return birth_date_of(self.digits)

    @property
    def sex(self) -> Sex:
        return Sex.MALE if int(self.digits[9]) % 2 else Sex.FEMALE

    @property
    def masked(self) -> str:
        return mask(self.digits)


def normalise(raw: str) -> str:
    """Digits only: accepts '010203-1234', '0102031234' and surrounding spaces."""
    text = raw.strip().replace("-", "").replace(" ", "")
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        raise CprError("format")
    return text


def century(year2: int, seventh: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800


def birth_date_of(digits: str) -> date:
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = century(year2, int(digits[6])) + year2
    try:
        return date(year, month, day)
    except ValueError:
        raise CprError("date") from None


def parse(raw: str, today: date | None = None) -> Cpr:
    """A valid CPR, or CprError with code 'format', 'date' or 'future'."""
    digits = normalise(raw)
    born = birth_date_of(digits)
    if today is not None and born > today:
        raise CprError("future")
    return Cpr(digits)


def mask(digits: str) -> str:
    """Date part only, as shown on screen: '010203-xxxx'."""
    return f"{digits[:6]}-xxxx"
