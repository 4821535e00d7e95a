"""Calendar-feed addresses never reach a log.

The feed's secret token is in its URL path (`/calendar/<token>.ics`), because calendar programs
can send nothing else; every access log line and every `django.request` record names the path.
`RedactFeedTokenFilter` replaces the path segment after `calendar/` in a record's message,
arguments, traceback and stack (a mistyped token is nearly the real one, so every value is
replaced). It is configured on the handlers in settings.LOGGING and, like the CPR mask, installed
in the log-record factory (`install_on_root`, from the app's ready()) so that handlers added
later — a WSGI server's access log, a library's own, pytest's caplog — never see a token either.
"""

import logging
import re

# `calendar/` and the segment after it up to the next slash, quote, space, query or end.
FEED_PATH = re.compile(r"(?<![\w-])(calendar/)[^/\s\"'?#<>]+")
REDACTED = r"\1[redacted]"


def redact_feed_tokens(text: str) -> str:
    return FEED_PATH.sub(REDACTED, text)


class RedactFeedTokenFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        redacted = redact_feed_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_feed_tokens(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_feed_tokens(record.stack_info)
        return True


def install_on_root() -> None:
    """Redact in the record factory too, whatever handler the record later meets."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_feed_tokens", False):
        return
    redact = RedactFeedTokenFilter()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact.filter(record)
        return record

    factory.redacts_feed_tokens = True  # type: ignore[attr-defined]
    # The CPR mask checks its own flag on the factory it would wrap: keep it visible.
    factory.masks_cpr = getattr(previous, "masks_cpr", False)  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
