"""Load the versioned cadence rule file into the database (used by migrations)."""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def load_cadence(rule_set_model: Any, rule_model: Any) -> None:
    data = json.loads((DATA / "cadence.json").read_text(encoding="utf-8"))
    # Only the fields the (historical) model has: an earlier migration loads with fewer.
    known = {f.name for f in rule_set_model._meta.get_fields()}
    for item in data["rule_sets"]:
        fields = {k: v for k, v in item.items() if k not in {"key", "rules"} and k in known}
        rule_set, _ = rule_set_model.objects.update_or_create(key=item["key"], defaults=fields)
        for category, schedule in item["rules"].items():
            rule_model.objects.update_or_create(
                rule_set=rule_set, category=category, defaults={"schedule": schedule}
            )
        # A category the file no longer names is dropped from the rule set.
        rule_model.objects.filter(rule_set=rule_set).exclude(category__in=item["rules"]).delete()
