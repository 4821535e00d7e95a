"""Load the versioned staircase and catalogue files (trappen/core/data/) into the database
(used by migrations)."""

from typing import Any

from trappen.core import ruledata


def _read(name: str) -> dict[str, Any]:
    return ruledata.load(name)


def load_steps(step_model: Any) -> None:
    data = _read("steps.json")
    for step in data["steps"]:
        step_model.objects.update_or_create(
            number=step["number"], defaults={**step, "source": data["source"]}
        )


def _known(model: Any, item: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the model has at this migration: older migrations see older models."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in item.items() if k in names}


def source_of(data: dict[str, Any], item: dict[str, Any]) -> str:
    """The file's source, narrowed by the item's place in it (`ref`, e.g. "trin 2, nr. 4")."""
    return f"{data['source']}, {item['ref']}" if item.get("ref") else str(data["source"])


def load_interventions(step_model: Any, intervention_model: Any) -> None:
    data = _read("interventions.json")
    for item in data["interventions"]:
        fields = _known(intervention_model, {**item, "source": source_of(data, item)})
        fields["step"] = step_model.objects.get(number=item["step"])
        intervention_model.objects.update_or_create(name=item["name"], defaults=fields)
