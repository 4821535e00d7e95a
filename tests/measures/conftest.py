"""Interventions with known steps, placement types and legal concepts for the measures tests."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from trappen.catalogue.models import Intervention
from trappen.measures import services

# 500 kr. a day is 15,000 kr. a month: below the default visitation threshold (20,000).
CHEAP = Decimal("500.00")
# 1,500 kr. a day is 45,000 kr. a month: the visitation committee decides.
DEAR = Decimal("1500.00")


def _intervention(name: str, step: int, concept: str, placement_type: str = "") -> Intervention:
    return Intervention.objects.create(
        name=name,
        step_id=step,
        legal_concept=concept,
        placement_type=placement_type,
        provider=f"Leverandør {step}",
    )


@pytest.fixture
def kit(org):  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        universal=_intervention("T0 Åben rådgivning", 0, "none"),
        prevention=_intervention("T1 Forældrekursus", 1, "early_prevention"),
        support=_intervention("T2 Familiebehandling", 2, "supporting_measure"),
        kinship=_intervention("T3 Netværkspleje", 3, "placement", "foster_network"),
        foster=_intervention("T4 Plejefamilie", 4, "placement", "foster_ordinary"),
        institution=_intervention("T5 Døgninstitution", 5, "placement", "residential_institution"),
        secure=_intervention("T5 Sikret afdeling", 5, "placement", "secure_institution"),
    )


def start(case, intervention, start_on: date, by, **extra):  # type: ignore[no-untyped-def]
    """Start a measure through the service with sensible defaults."""
    data = {
        "end_on": None,
        "end_reason": "",
        "provider": "",
        "daily_cost": CHEAP,
    } | extra
    return services.start(case, intervention=intervention, start_on=start_on, by=by, **data)
