"""The notifier kinds and request kinds as data (core/data/notifiers.json, F8 point 4).

Who notified (school, day-care, health visitor, PPR, police, hospital or doctor, parent,
relative, the child, anonymous, other), whether they are a professional with the duty of
Barnets Lov § 133 (and so get a receipt and cannot be anonymous), and what they sent: a
notification, an inquiry or a request for a network meeting, each with its legal basis."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from trappen.core import ruledata

DATA = "notifiers.json"


@dataclass(frozen=True)
class NotifierKind:
    key: str
    label: str
    professional: bool
    legal_basis: str | None
    organisation_kinds: tuple[str, ...]


@dataclass(frozen=True)
class RequestKind:
    key: str
    label: str
    prefix: str
    legal_basis: str | None
    note: str


@cache
def _raw() -> dict[str, Any]:
    return ruledata.load(DATA)


@cache
def notifier_kinds() -> dict[str, NotifierKind]:
    return {
        row["key"]: NotifierKind(
            row["key"],
            row["label"],
            bool(row["professional"]),
            row["legal_basis"],
            tuple(row["organisation_kinds"]),
        )
        for row in _raw()["notifier_kinds"]
    }


@cache
def request_kinds() -> dict[str, RequestKind]:
    return {
        row["key"]: RequestKind(
            row["key"], row["label"], row["prefix"], row["legal_basis"], row["note"]
        )
        for row in _raw()["request_kinds"]
    }


def legacy_kinds() -> dict[str, str]:
    """The old coarse sources that map to a new key (the data migration reads this)."""
    return dict(_raw()["legacy_kinds"])


def receipt_basis() -> str:
    return str(_raw()["receipt"]["legal_basis"])


def is_professional(key: str) -> bool:
    kind = notifier_kinds().get(key)
    return kind is not None and kind.professional


def kind_for_organisation(organisation_kind: str) -> str:
    """The notifier kind an organisation of this kind notifies as (a day-care: day_care)."""
    for kind in notifier_kinds().values():
        if organisation_kind in kind.organisation_kinds:
            return kind.key
    return "other"
