"""CPR numbers on screen and in logs: only ever masked."""

import logging

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from trappen.security.logging import MaskCprFilter

digits = st.text(alphabet="0123456789", min_size=10, max_size=10)
with_dash = digits.map(lambda d: f"{d[:6]}-{d[6:]}")
padded = st.tuples(st.sampled_from(["", " ", "  "]), st.one_of(digits, with_dash)).map(
    lambda t: f"{t[0]}{t[1]}{t[0]}"
)


def render(value: object) -> str:
    return Template("{% load security %}{{ value|cpr_masked }}").render(Context({"value": value}))


@given(st.one_of(digits, with_dash, padded))
def test_the_filter_shows_the_date_part_and_hides_the_rest(cpr):
    clean = cpr.strip().replace("-", "")
    shown = render(cpr)
    assert shown == f"{clean[:6]}-xxxx"
    assert clean[6:] not in shown.split("-")[1]


@given(st.text(max_size=30).filter(lambda s: len(s.strip().replace("-", "")) != 10))
def test_anything_else_is_masked_entirely(value):
    shown = render(value)
    assert shown in ("", "xxxxxx-xxxx")
    if value:
        assert shown == "xxxxxx-xxxx"


def test_nothing_shows_for_a_child_without_cpr():
    assert render(None) == ""


def masked(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    record = logging.LogRecord(
        "trappen.test",
        logging.ERROR,
        __file__,
        1,
        message,
        args or None,
        (type(exc), exc, exc.__traceback__) if exc else None,
    )
    MaskCprFilter().filter(record)
    return record


@given(
    st.one_of(digits, with_dash),
    st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=20),
)
def test_log_records_never_carry_a_cpr_number(cpr, around):
    clean = cpr.replace("-", "")
    for record in (
        masked(f"{around}{cpr}{around}"),
        masked("child %s looked up", cpr),
        masked("%(cpr)s", {"cpr": cpr}),
    ):
        text = record.getMessage()
        assert clean not in text.replace("-", "")
        assert "xxxxxx-xxxx" in text


def test_tracebacks_are_masked_too():
    try:
        raise ValueError('duplicate key value (cpr)=(0101151234) violates "unique"')
    except ValueError as error:
        record = masked("Internal Server Error", exc=error)
    formatted = logging.Formatter().format(record)
    assert "0101151234" not in formatted
    assert "duplicate key value" in formatted


def test_longer_numbers_are_left_alone():
    assert masked("order 12345678901 and 123456789").getMessage() == (
        "order 12345678901 and 123456789"
    )


def test_every_record_is_masked_whatever_the_handler(caplog):
    with caplog.at_level(logging.INFO, logger="trappen"):
        logging.getLogger("trappen.anything").info("cpr %s", "010115-1234")
    assert "1234" not in caplog.text
    assert "xxxxxx-xxxx" in caplog.text
