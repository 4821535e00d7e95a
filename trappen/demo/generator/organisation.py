"""Phase 1: the municipality, its district groups, teams and districts, the catalogue."""

from collections import defaultdict

from trappen.catalogue.models import Intervention
from trappen.organisation.models import (
    District,
    DistrictGroup,
    Municipality,
    Team,
)

from .base import Base
from .names import OTHER_DISTRICTS, PILOT_DISTRICTS, TEAM_NAMES


class Organisation(Base):
    def organisation(self) -> None:
        self.municipality = Municipality.objects.create(name="Demo Kommune", caseload_cap=25)
        self.pilot_group = DistrictGroup.objects.create(
            name="Pilot",
            description="Skoledistrikter i pilotprojektet: lavere sagstal, tidlig indsats.",
        )
        self.other_group = DistrictGroup.objects.create(
            name="Øvrige", description="De øvrige skoledistrikter."
        )
        self.teams = self.save(
            Team, [Team(municipality=self.municipality, name=name) for name in TEAM_NAMES]
        )
        districts = []
        for i, name in enumerate(PILOT_DISTRICTS + OTHER_DISTRICTS):
            districts.append(
                District(
                    municipality=self.municipality,
                    name=name,
                    team=self.teams[i // 2],
                    group=self.pilot_group if i < len(PILOT_DISTRICTS) else self.other_group,
                )
            )
        self.districts = self.save(District, districts)
        self.pilot_teams = {t.pk for t in self.teams[: len(PILOT_DISTRICTS) // 2]}
        self.district_weights = [self.rng.uniform(0.8, 1.2) for _ in self.districts]
        # The whole catalogue but aftercare (the demo's children are 0-17), by step and by kind
        # ("" or the placement type), in a fixed order so that the draws are repeatable.
        self.interventions: dict[int, dict[str, list[Intervention]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for intervention in Intervention.objects.filter(is_aftercare=False).order_by(
            "step_id", "placement_type", "name"
        ):
            self.interventions[intervention.step_id][intervention.placement_type].append(
                intervention
            )
        self.phase(
            f"Organisation: Demo Kommune, {len(self.districts)} districts "
            f"({len(PILOT_DISTRICTS)} pilot), {len(self.teams)} district teams"
        )
