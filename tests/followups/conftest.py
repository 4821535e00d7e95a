from datetime import date, timedelta

import pytest
from django.utils import timezone

from trappen.catalogue.models import Intervention
from trappen.measures.models import Episode

from ..conftest import DAILY_COST


def make_intervention(category: str, placement_type: str = "", step: int = 5) -> Intervention:
    return Intervention.objects.create(
        name=f"Test {category} {placement_type} {Intervention.objects.count()}",
        step_id=step,
        placement_type=placement_type,
        cadence_category=category,
    )


@pytest.fixture
def episode_of(org):
    """An episode of `category` on a fresh case of caseworker anna, started `days_ago`."""

    def make(
        category: str = "institution",
        days_ago: int = 100,
        placement_type: str = "",
        start: date | None = None,
        case=None,
    ):
        case = case or org.case()
        return Episode.objects.create(
            child=case.child,
            case=case,
            intervention=make_intervention(category, placement_type),
            start_on=start or timezone.localdate() - timedelta(days=days_ago),
            daily_cost=DAILY_COST,
            created_by=org.cw1,
        )

    return make
