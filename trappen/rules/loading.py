"""Load the versioned rule files (trappen/core/data/) into the database (used by migrations)."""

from typing import Any

from trappen.core import ruledata


def read(name: str) -> dict[str, Any]:
    return ruledata.load(name)


def load_deadlines(model: Any) -> None:
    for rule in read("deadlines.json")["rules"]:
        model.objects.update_or_create(
            key=rule["key"], valid_from=rule["valid_from"], defaults=rule
        )


def load_legal_bases(model: Any) -> None:
    for basis in read("legal_bases.json")["bases"]:
        model.objects.update_or_create(
            concept=basis["concept"],
            law=basis["law"],
            paragraph=basis["paragraph"],
            valid_from=basis["valid_from"],
            defaults=basis,
        )
