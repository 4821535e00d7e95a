"""Load the versioned cadence rule file (trappen/core/data/cadence.json) into the database
(used by migrations)."""

from typing import Any

from trappen.core import ruledata


def load_cadence(rule_set_model: Any, rule_model: Any) -> None:
    data = ruledata.load("cadence.json")
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
