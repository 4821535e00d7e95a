"""The SDQ's item texts, when the municipality holds a licence for them (docs/wellbeing.md).

trappen ships no item texts: the questionnaire's wording belongs to youthinmind. Without a
texts file the entry form shows each item's number and a short neutral label (its subscale).
A municipality with a licence for the Danish texts sets `TRAPPEN_SDQ_ITEM_TEXTS` to the path of
a JSON file of its own:

    {"source": "…", "licence": "…", "items": {"1": "…", …, "25": "…"}}

with a text for every item 1-25 (at most 300 characters each). A file that does not read so is
refused with a message naming the problem: the form then falls back to the neutral labels.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from trappen.core import sdq

MAX_TEXT = 300


class ItemTextsError(ValueError):
    pass


@dataclass(frozen=True)
class ItemTexts:
    source: str
    licence: str
    items: dict[int, str]


def load(path: Path) -> ItemTexts:
    """The texts of the file at `path`; ItemTextsError when it is not as described above."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ItemTextsError(f"{path}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ItemTextsError(f"{path}: not a UTF-8 JSON file: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise ItemTextsError(f"{path}: must be an object with 'items': {{'1': text, …}}")
    raw = data["items"]
    items: dict[int, str] = {}
    for key, text in raw.items():
        if not (isinstance(key, str) and key.isdigit() and 1 <= int(key) <= sdq.ITEM_COUNT):
            raise ItemTextsError(f"{path}: item {key!r} is not 1-{sdq.ITEM_COUNT}")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise ItemTextsError(f"{path}: item {key}: a text of 1-{MAX_TEXT} characters")
        items[int(key)] = text.strip()
    missing = [str(n) for n in range(1, sdq.ITEM_COUNT + 1) if n not in items]
    if missing:
        raise ItemTextsError(f"{path}: no text for item(s) {', '.join(missing)}")
    return ItemTexts(str(data.get("source", "")), str(data.get("licence", "")), items)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> ItemTexts:
    return load(Path(path))


def configured() -> ItemTexts | None:
    """The texts of `TRAPPEN_SDQ_ITEM_TEXTS`, or None when it is not set (ItemTextsError when
    it is set and the file is wrong)."""
    path = getattr(settings, "TRAPPEN_SDQ_ITEM_TEXTS", "") or ""
    if not path:
        return None
    try:
        mtime = Path(path).stat().st_mtime
    except OSError as error:
        raise ItemTextsError(f"{path}: cannot be read: {error.strerror or error}") from None
    return _cached(path, mtime)
