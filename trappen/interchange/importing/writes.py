"""The import's second half: the organisation, users and catalogue it adds, then every table's
rows with `bulk_create`, in the order their foreign keys need."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from trappen.cases.models import Case, Child, Complaint
from trappen.catalogue.models import CadenceCategory, Intervention, LegalConcept
from trappen.core import legal, sdq
from trappen.core.dataset import (
    FAMILY_CARE_TYPES,
    INSTITUTION_TYPES,
    SDQ_IMPACT_NAMES,
    SDQ_ITEM_COLUMNS,
)
from trappen.core.staircase import PlacementType
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode
from trappen.organisation.models import (
    District,
    DistrictGroup,
    Municipality,
    Profession,
    Team,
    User,
)
from trappen.rules.models import LegalBasis
from trappen.wellbeing.models import SdqMeasurement

from ..models import IMPORT_USERNAME
from .checks import Checks, majority, rows
from .summary import ImportSummary

M = TypeVar("M", bound=models.Model)

DEFAULT_MUNICIPALITY = "Kommune"
BATCH = 2000


def new_intervention_kind(step: int, placement_type: str) -> tuple[str, str]:
    """(legal concept, follow-up rhythm) of an intervention an import adds to the catalogue."""
    if placement_type in INSTITUTION_TYPES:
        return LegalConcept.PLACEMENT, CadenceCategory.INSTITUTION
    if placement_type in FAMILY_CARE_TYPES:
        return LegalConcept.PLACEMENT, CadenceCategory.FOSTER_FAMILY
    if placement_type == PlacementType.HOME_BASED:
        return LegalConcept.PLACEMENT, CadenceCategory.ROOM_OF_OWN
    if step == 0:
        return LegalConcept.NONE, CadenceCategory.NONE
    if step == 1:
        return LegalConcept.EARLY_PREVENTION, CadenceCategory.NONE
    return LegalConcept.SUPPORTING_MEASURE, CadenceCategory.PREVENTIVE


class Importer(Checks):
    def save(self, model: type[M], objs: Sequence[M], label: str) -> Sequence[M]:
        for start in range(0, len(objs), BATCH):
            model._default_manager.bulk_create(objs[start : start + BATCH])
            done = min(start + BATCH, len(objs))
            if done < len(objs) and done % (10 * BATCH) == 0:
                self.phase(f"{label}: {done} of {len(objs)}")
        self.phase(f"{label}: {len(objs)}")
        return objs

    def organisation(self) -> None:
        ds, s = self.ds, self.summary
        if self.municipality is None:
            self.municipality = Municipality.objects.create(name=DEFAULT_MUNICIPALITY)
            s.new_municipality = self.municipality.name
        wanted_groups = dict.fromkeys(g for _, g, _ in self.new_districts)
        for name in wanted_groups:
            if name not in self.groups:
                self.groups[name] = DistrictGroup.objects.create(name=name)
                s.new_groups.append(name)
        team_names = [t for _, _, t in self.new_districts]
        team_names += ds.cases["team"].to_list() + ds.complaints["team"].to_list()
        new_teams = [
            Team(municipality=self.municipality, name=name)
            for name in dict.fromkeys(team_names)
            if name not in self.teams
        ]
        for team in self.save(Team, new_teams, "teams"):
            self.teams[team.name] = team
            s.new_teams.append(team.name)
        new_districts = [
            District(
                municipality=self.municipality,
                name=name,
                group=self.groups[group],
                team=self.teams[team],
            )
            for name, group, team in self.new_districts
        ]
        for district in self.save(District, new_districts, "districts"):
            self.districts[district.name] = district
            s.new_districts.append(district.name)

    def users(self) -> None:
        cases = self.ds.cases
        named = [c for c in cases["caseworker"].to_list() if c is not None]
        self.users_by_name = {u.username: u for u in User.objects.filter(username__in=set(named))}
        teams_of: dict[str, list[str]] = {}
        for username, team in cases.select("caseworker", "team").iter_rows():
            if username is not None:
                teams_of.setdefault(username, []).append(team)
        unusable = make_password(None)
        new = []
        for username in dict.fromkeys(named):
            if username not in self.users_by_name:
                team = majority(teams_of[username])
                new.append(
                    User(
                        username=username,
                        password=unusable,
                        is_active=False,
                        profession=Profession.CASEWORKER,
                        team=self.teams[team] if team else None,
                    )
                )
        needs_import_user = (
            len(named) < cases.height or self.ds.episodes.height or self.ds.followups.height
        )
        import_user = User.objects.filter(username=IMPORT_USERNAME).first()
        if import_user is None and IMPORT_USERNAME in self.users_by_name:
            import_user = self.users_by_name[IMPORT_USERNAME]
        if import_user is None and needs_import_user:
            import_user = User(username=IMPORT_USERNAME, password=unusable, is_active=False)
            new.append(import_user)
        for user in self.save(User, new, "users"):
            self.users_by_name[user.username] = user
            self.summary.new_users.append(user.username)
        self.import_user = import_user

    def interventions(self) -> None:
        source = f"import {timezone.localdate().isoformat()}"
        new = []
        for name, step, kind, _i in self.new_interventions.values():
            concept, cadence = new_intervention_kind(step, kind)
            new.append(
                Intervention(
                    name=name,
                    step_id=step,
                    placement_type=kind,
                    legal_concept=concept,
                    cadence_category=cadence,
                    source=source,
                )
            )
        for intervention in self.save(Intervention, new, "interventions"):
            self.catalogue[intervention.name.casefold()] = intervention
            self.summary.new_interventions.append(intervention.name)

    def run(self) -> ImportSummary:
        self.check()
        self.phase("checked")
        self.organisation()
        self.users()
        self.interventions()
        self.children()
        self.cases()
        self.episodes()
        self.now = timezone.now()
        self.followups()
        self.complaints()
        self.measurements()
        return self.summary

    def children(self) -> None:
        children = [
            Child(
                cpr=None,
                birth_date=row["birth_date"],
                sex=row["sex"],
                district=self.districts[row["district"]],
                external_id=row["child_id"],
            )
            for _, row in rows(self.ds.children)
        ]
        self.save(Child, children, "children")
        self.child_pk = {c.external_id: c.pk for c in children}

    def cases(self) -> None:
        with_episodes = set(self.episode_case)
        self.case_rows: list[Case] = []
        for i, row in rows(self.ds.cases):
            closed = row["closed"]
            status = (
                Case.Status.CLOSED
                if closed
                else Case.Status.MEASURES
                if i in with_episodes
                else Case.Status.CLARIFICATION
            )
            caseworker = row["caseworker"]
            self.case_rows.append(
                Case(
                    child_id=self.child_pk[row["child_id"]],
                    team=self.teams[row["team"]],
                    caseworker=self.users_by_name[caseworker] if caseworker else self.import_user,
                    status=status,
                    opened_on=row["opened"],
                    closed_on=closed,
                    closure_reason=Case.ClosureReason.OTHER if closed else "",
                    external_id=row["case_id"],
                )
            )
        self.save(Case, self.case_rows, "cases")

    def case_of(self, child_id: str, day: date) -> Case | None:
        """The saved case of the child open on `day`, if any."""
        span = self.open_case(child_id, day)
        return self.case_rows[span.index] if span else None

    def episodes(self) -> None:
        basis = _BasisInForce()
        episodes = []
        for i, row in rows(self.ds.episodes):
            intervention = self.catalogue[row["intervention"].casefold()]
            case = self.case_rows[self.episode_case[i]]
            end = row["end_date"]
            episodes.append(
                Episode(
                    child_id=case.child_id,
                    case=case,
                    intervention=intervention,
                    start_on=row["start_date"],
                    end_on=end,
                    end_reason=(row["end_reason"] or "") if end else "",
                    provider=intervention.provider,
                    daily_cost=Decimal(str(row["daily_cost"])).quantize(Decimal("0.01")),
                    created_by=self.import_user,
                    legal_basis=basis(intervention.legal_concept, row["start_date"]),
                    external_id=row["episode_id"],
                )
            )
        self.save(Episode, episodes, "episodes")
        self.episode_by_id = {e.external_id: e for e in episodes}

    def followups(self) -> None:
        followups = []
        for _, row in rows(self.ds.followups):
            episode = self.episode_by_id[row["episode_id"]]
            followups.append(
                FollowUp(
                    episode=episode,
                    case=episode.case,
                    held_on=row["date"],
                    form=FollowUp.Form.MEETING,
                    child_conversation=row["child_conversation"],
                    plan_review=FollowUp.PlanReview.KEPT,
                    recorded_by=self.import_user,
                    recorded_at=self.now,
                    external_id=row["followup_id"],
                )
            )
        self.save(FollowUp, followups, "follow-ups")

    def complaints(self) -> None:
        complaints = [
            Complaint(
                child_id=self.child_pk[row["child_id"]],
                team=self.teams[row["team"]],
                received_on=row["date"],
                case=self.case_of(row["child_id"], row["date"]),
                external_id=row["complaint_id"],
            )
            for _, row in rows(self.ds.complaints)
        ]
        self.save(Complaint, complaints, "complaints")

    def measurements(self) -> None:
        measurements = []
        for _, row in rows(self.ds.sdq):
            informant = sdq.parse_informant(row["informant"])
            impact = {
                name: row[f"impact_{name}"]
                for name in SDQ_IMPACT_NAMES
                if row[f"impact_{name}"] is not None
            }
            measurement = SdqMeasurement(
                child_id=self.child_pk[row["child_id"]],
                case=self.case_of(row["child_id"], row["date"]),
                informant=informant.value,
                measured_on=row["date"],
                answers=[row[column] for column in SDQ_ITEM_COLUMNS],
                impact_answers=impact or None,
                recorded_by=self.import_user,
                recorded_at=self.now,
                external_id=row["sdq_id"] or "",
            )
            measurement.set_scores()
            measurements.append(measurement)
        self.save(SdqMeasurement, measurements, "SDQs")


class _BasisInForce:
    """The legal basis in force for a concept on a day, read once and remembered per pair."""

    def __init__(self) -> None:
        self.bases = {b.as_core(): b for b in LegalBasis.objects.all()}
        self.found: dict[tuple[str, date], LegalBasis | None] = {}

    def __call__(self, concept: str, on: date) -> LegalBasis | None:
        if concept == LegalConcept.NONE:
            return None
        if (concept, on) not in self.found:
            try:
                self.found[concept, on] = self.bases[legal.basis_in_force(self.bases, concept, on)]
            except legal.NoBasisInForce:
                self.found[concept, on] = None
        return self.found[concept, on]
