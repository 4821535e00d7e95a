"""iCalendar (RFC 5545) content lines: TEXT escaping and folding at 75 octets.

A calendar program reads a feed line by line, so one stray line break in a meeting's place or a
team's name could end an event and start another. Every content line the feed writes goes
goes through `calendar`, each TEXT value through `escape_text` first:

- TEXT escaping (3.3.11): backslash, semicolon and comma are escaped; every line break (CRLF, a
  bare LF or a bare CR) becomes the two characters backslash and n; other control characters
  (and lone surrogates, which UTF-8 cannot carry) are dropped. A tab is allowed and kept.
- folding (3.1): no physical line is longer than 75 octets of UTF-8, without the CRLF; a long
  line continues after CRLF and one space. A line is never cut inside a multi-byte character,
  nor inside an escape such as backslash-n (allowed by the RFC, but some readers trip on it).
"""

import re
import unicodedata

MAX_OCTETS = 75
CRLF = "\r\n"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}
_ATOM = re.compile(r"\\.|.", re.DOTALL)  # an escape pair, or one character


def _kept(char: str) -> bool:
    return char in "\t\n" or unicodedata.category(char) not in ("Cc", "Cs")


def escape_text(text: str) -> str:
    """`text` as an iCalendar TEXT value (no line breaks, no control characters left)."""
    text = _LINE_BREAK.sub("\n", text)
    return "".join(_ESCAPES.get(c, c) for c in text if _kept(c))


def fold(line: str) -> str:
    """One content line as physical lines of at most 75 octets, joined by CRLF and a space."""
    parts: list[str] = []
    current: list[str] = []
    size, room = 0, MAX_OCTETS
    for atom in _ATOM.findall(line):
        octets = len(atom.encode("utf-8"))
        if size + octets > room:
            parts.append("".join(current))
            current, size, room = [], 0, MAX_OCTETS - 1  # the leading space takes one octet
        current.append(atom)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def calendar(lines: list[str]) -> str:
    """The whole object from its unfolded content lines: each folded and ended by CRLF."""
    return "".join(fold(line) + CRLF for line in lines)
