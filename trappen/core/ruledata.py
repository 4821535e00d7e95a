"""The one loader of the rule data: every rule file is a JSON file in `trappen/core/data/`.

Rules are data (docs/rules.md): the deadlines, the legal bases, the staircase and its catalogue,
the follow-up rhythms, the notifier kinds, the quality data, the targets, the network slots, the
staffing rhythm, the plausible daily costs of an import, the SDQ bands and versions, the ICS
areas and the goal scales. `load(name)` reads one of them from the installed package (through
importlib.resources, so it works from a wheel as from the source tree), checks it and caches it.

Each file says where its rules come from and when they apply, the way the files are written:
  - it names its source: a `source` at the top, or on each rule that carries a validity
    (a `source` on the rule itself or on an object around it);
  - every `valid_from` is an ISO date, and every `valid_to` is null or an ISO date on or after
    its `valid_from`.
A file that breaks either is refused with `RuleDataError` when it is first loaded."""

import json
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

PACKAGE = "trappen.core"
FOLDER = "data"


class RuleDataError(ValueError):
    """A rule file that does not name its source or whose validity does not parse."""


def folder() -> Traversable:
    return resources.files(PACKAGE).joinpath(FOLDER)


def names() -> tuple[str, ...]:
    """Every rule file shipped, by name (`deadlines.json`, ...)."""
    return tuple(sorted(p.name for p in folder().iterdir() if p.name.endswith(".json")))


def path(name: str) -> Traversable:
    """The shipped file `name` (for a test or a command that shows where a rule lives)."""
    if "/" in name or "\\" in name or not name.endswith(".json"):
        raise RuleDataError(f"{name!r}: a rule file is a plain name ending in .json")
    return folder().joinpath(name)


def where(name: str) -> str:
    """The file's place in the source tree, for messages (`trappen/core/data/deadlines.json`)."""
    return f"{PACKAGE.replace('.', '/')}/{FOLDER}/{name}"


@cache
def _text(name: str) -> str:
    text = path(name).read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise RuleDataError(f"{where(name)}: a rule file is a JSON object")
    check(data, where(name))
    return text


def load(name: str) -> dict[str, Any]:
    """The rule file `name`, parsed and checked (read once; each call gets its own copy)."""
    loaded: dict[str, Any] = json.loads(_text(name))
    return loaded


def _has_source(value: Any) -> bool:
    return isinstance(value, (str, dict, list)) and bool(value)


def _day(value: Any, where_: str, key: str) -> date:
    if not isinstance(value, str):
        raise RuleDataError(f"{where_}: {key} must be an ISO date, not {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise RuleDataError(f"{where_}: {key} must be an ISO date, not {value!r}") from e


def _check_validity(node: dict[str, Any], where_: str) -> None:
    start = _day(node["valid_from"], where_, "valid_from")
    end = node.get("valid_to")
    if end is not None and _day(end, where_, "valid_to") < start:
        raise RuleDataError(f"{where_}: valid_to {end} is before valid_from {start}")


def _walk(node: Any, where_: str, sourced: bool) -> int:
    """Check every rule with a validity under `node`; the number of sources found."""
    found = 0
    if isinstance(node, dict):
        here = _has_source(node.get("source"))
        found += here
        sourced = sourced or here
        if "valid_from" in node:
            _check_validity(node, where_)
            if not sourced:
                raise RuleDataError(
                    f"{where_}: a rule valid from {node['valid_from']} names no source"
                )
        for key, value in node.items():
            if key != "source":
                found += _walk(value, f"{where_}: {key}", sourced)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _walk(value, f"{where_}[{i}]", sourced)
    return found


def check(data: dict[str, Any], where_: str = "rule data") -> None:
    """Refuse data that names no source or whose validity does not parse (RuleDataError)."""
    if not _walk(data, where_, False):
        raise RuleDataError(f"{where_}: names no source")
