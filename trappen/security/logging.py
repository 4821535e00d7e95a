"""A logging filter that masks CPR-like numbers in every record it sees: the message, its
arguments and any traceback (database errors quote the offending value)."""

import logging
import re

# DDMMYY-XXXX or ten digits in a row, not part of a longer number.
CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
MASK = "xxxxxx-xxxx"


def mask_cpr(text: str) -> str:
    return CPR_LIKE.sub(MASK, text)


class MaskCprFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = mask_cpr(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_cpr(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_cpr(record.stack_info)
        return True


def install_on_root() -> None:
    """Masks in the record factory too, so handlers added later (pytest's caplog, a
    library's own) never see a CPR number either."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_cpr", False):
        return
    mask = MaskCprFilter()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask.filter(record)
        return record

    factory.masks_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
