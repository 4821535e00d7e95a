"""How a table cell is shown: in the browser and the console (`show`), and in Excel (`EXCEL`).

The formats are those of `tables.py`. The browser follows the active language (Danish:
1.234,56); Excel gets a number format and shows the reader's own separators.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format

EMPTY = "–"

# fmt → (decimals, suffix, factor)
_NUMBERS = {
    "int": (0, "", 1),
    "amount": (0, "", 1),
    "dec2": (2, "", 1),
    "num": (2, "", 1),
    "pct": (1, " %", 100),
    "pp": (1, "", 1),
    "p": (3, "", 1),
}

EXCEL = {
    "int": "#,##0",
    "amount": "#,##0",
    "dec2": "#,##0.00",
    "num": "#,##0.00",
    "pct": "0.0%",
    "pp": "0.0",
    "p": "0.000",
    "text": "@",
}


def show(value: Any, fmt: str) -> str:
    if value is None or value == "":
        return EMPTY if value is None else ""
    if fmt == "text" or isinstance(value, str) or fmt not in _NUMBERS:
        return str(value)
    decimals, suffix, factor = _NUMBERS[fmt]
    if fmt == "p" and value < 0.001:
        return "< " + number_format(0.001, 3, use_l10n=True)
    # number_format cuts digits off; round half up first, as Excel and KORA's tables do.
    rounded = Decimal(repr(value * factor)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,00"
    return number_format(rounded, decimals, use_l10n=True, force_grouping=True) + suffix
