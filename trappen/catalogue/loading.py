"""Load the versioned staircase and catalogue files into the database (used by migrations)."""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def _read(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load_steps(step_model: Any) -> None:
    data = _read("steps.json")
    for step in data["steps"]:
        step_model.objects.update_or_create(
            number=step["number"], defaults={**step, "source": data["source"]}
        )


def load_interventions(step_model: Any, intervention_model: Any) -> None:
    data = _read("interventions.json")
    for item in data["interventions"]:
        fields = {**item, "source": data["source"]}
        fields["step"] = step_model.objects.get(number=item["step"])
        intervention_model.objects.update_or_create(name=item["name"], defaults=fields)
