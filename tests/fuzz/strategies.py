"""Hostile input a browser (or a hand-made CSV file) could send.

Lone surrogates are left out: a browser cannot encode them in UTF-8, so they never reach the
server as text.
"""

from hypothesis import settings
from hypothesis import strategies as st

# Moderate: the suite runs on two databases and must stay fast.
FUZZ = settings(max_examples=25, deadline=None, derandomize=False)

SCRIPT = "<script>alert(1)</script>"

CLASSICS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t\x0b\x0c\x1b\x7f",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE cases_case; --",
    "' OR '1'='1",
    "%s %(x)s {0} {{ x }} {% now %}",
    "\u202eevil\u202c",  # right-to-left override
    "👨\u200d👩\u200d👧",  # zero-width joiners
    "𝕏𝔸" * 3,  # astral plane
    "\ufeffBOM",
    "Ærø Øst Åby",
    "NaN",
    "-Infinity",
    "1e999999",
    "-1",
    "99999999999999999999999999",
    "0x1F",
    "١٢٣",  # Arabic-Indic digits
]

# Every character a browser can send (no surrogates), with control characters made likely.
any_char = st.characters(exclude_categories=["Cs"])
control_char = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\u200b", "\u200d", "\u202e", "\ufeff", "\u2028"]
)

hostile_text = st.one_of(
    st.sampled_from(CLASSICS),
    st.text(any_char, max_size=40),
    st.text(control_char | any_char, min_size=1, max_size=20),
    # Very long: past every max_length in the project.
    st.builds(lambda s, n: (s or "x") * n, st.text(any_char, max_size=3), st.integers(300, 5000)),
    st.builds(lambda a, b: a + SCRIPT + b, st.text(any_char, max_size=5), st.text(max_size=5)),
)

IMPOSSIBLE_DATES = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2023-02-29",
    "2024-13-01",
    "2024-04-31",
    "99999-01-01",
    "-2024-01-01",
    "1900-01-01",
    "2024-1-1",
    "01-02-2024",
    "2024-01-01T25:00",
    "2024-01-01T23:59:60",
    "1970-01-01T00:00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
]

hostile_date = st.one_of(
    st.sampled_from(IMPOSSIBLE_DATES),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    hostile_text,
)

hostile_number = st.one_of(
    st.sampled_from(CLASSICS[-7:]),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals().map(str),
    hostile_text,
)

# A value for any field: hostile text, date or number.
hostile_value = st.one_of(hostile_text, hostile_date, hostile_number)
