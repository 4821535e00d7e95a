"""Importing a Dataset into the database, all or nothing, and exporting the database as one.

The files' own rules are checked by `core.interchange.read_dataset`; `import_dataset` adds what
only the database can tell and then stores every row with `bulk_create` in one transaction.
The mapping from files to models is in docs/interchange.md.
"""

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import polars as pl
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from trappen.cases.models import Case, Child, Complaint
from trappen.catalogue.models import CadenceCategory, Intervention, LegalConcept
from trappen.core import legal, sdq
from trappen.core.dataset import (
    FAMILY_CARE_TYPES,
    INSTITUTION_TYPES,
    SCHEMA,
    SDQ_IMPACT_NAMES,
    SDQ_ITEM_COLUMNS,
    Dataset,
)
from trappen.core.interchange import (
    CaseSpan,
    Problem,
    Problems,
    case_open_on,
    case_spans,
    file_name,
    id_column,
    implausible_costs,
    line_of,
    overlapping_cases,
    quote,
)
from trappen.core.pseudonym import pseudonymise_dataset
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
from trappen.privacy.pseudonyms import installation_secret
from trappen.rules.models import LegalBasis
from trappen.steering_data.database import dataset_from_database
from trappen.wellbeing.models import SdqMeasurement

from .costs import plausible_ranges
from .models import IMPORT_USERNAME, Installation
from .signals import data_imported

Log = Callable[[str], None]
M = TypeVar("M", bound=models.Model)

DEFAULT_MUNICIPALITY = "Kommune"
BATCH = 2000
MAX_DAILY_COST = Decimal("9999999.99")  # Episode.daily_cost: 9 digits, 2 decimals

# The models that keep the id a row had in the file, by table.
MODELS: dict[str, type[models.Model]] = {
    "children": Child,
    "cases": Case,
    "episodes": Episode,
    "followups": FollowUp,
    "complaints": Complaint,
    "sdq": SdqMeasurement,
}


@dataclass
class ImportSummary:
    rows: dict[str, int] = field(default_factory=dict)  # table → rows in the dataset
    new_municipality: str = ""
    new_groups: list[str] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    new_districts: list[str] = field(default_factory=list)
    new_interventions: list[str] = field(default_factory=list)
    new_users: list[str] = field(default_factory=list)
    # Daily costs outside their plausible range that the user confirmed (--confirm-costs).
    confirmed_costs: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{file_name(t)}: {n} rows" for t, n in self.rows.items()]
        if self.confirmed_costs:
            out.append(
                f"daily costs outside the plausible range, confirmed: {len(self.confirmed_costs)}"
            )
            out += [f"  {p}" for p in self.confirmed_costs[:20]]
            if len(self.confirmed_costs) > 20:
                out.append(f"  … (+{len(self.confirmed_costs) - 20})")
        news = [
            ("municipality", [self.new_municipality] if self.new_municipality else []),
            ("district groups", self.new_groups),
            ("teams", self.new_teams),
            ("districts", self.new_districts),
            ("interventions in the catalogue", self.new_interventions),
            ("users (inactive)", self.new_users),
        ]
        for label, names in news:
            if names:
                shown = ", ".join(names[:20]) + (
                    f" … (+{len(names) - 20})" if len(names) > 20 else ""
                )
                out.append(f"new {label}: {len(names)}: {shown}")
        return out


def max_file_bytes() -> int:
    """The largest CSV file an import or `trappen evaluate` reads (TRAPPEN_IMPORT_MAX_FILE_MB)."""
    return int(settings.TRAPPEN_IMPORT_MAX_FILE_MB * 2**20)


# --- Ids --------------------------------------------------------------------------------------


def own_id_pattern(token: str) -> re.Pattern[str]:
    return re.compile(rf"trappen-{re.escape(token)}-[0-9]+")


# --- Import -----------------------------------------------------------------------------------


def _quiet(_text: str) -> None:
    pass


def _rows(frame: pl.DataFrame) -> Iterator[tuple[int, dict[str, Any]]]:
    return enumerate(frame.iter_rows(named=True))


def _majority(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)  # a tie: the first by name


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


class _Importer:
    def __init__(self, ds: Dataset, log: Log, confirm_costs: bool = False) -> None:
        self.ds = ds
        self.log = log
        self.confirm_costs = confirm_costs
        self.problems = Problems()
        self.summary = ImportSummary(rows={t: getattr(ds, t).height for t in SCHEMA})
        self.started = time.perf_counter()

    def problem(self, table: str, index: int | None, column: str | None, message: str) -> None:
        line = None if index is None else line_of(index)
        self.problems.add(file_name(table), line, column, message)

    def phase(self, text: str) -> None:
        self.log(f"  {text} ({time.perf_counter() - self.started:.1f} s)")

    # -- checks ------------------------------------------------------------------------------

    def check(self) -> None:
        ds = self.ds
        municipalities = list(Municipality.objects.order_by("pk")[:2])
        if len(municipalities) > 1:
            self.problems.add(
                "(database)",
                None,
                None,
                "the database holds more than one municipality: an import needs exactly one",
            )
        self.municipality = municipalities[0] if municipalities else None
        self.check_ids()
        self.child_ids = set(ds.children["child_id"].to_list())
        self.check_districts()
        self.check_cases()
        self.check_episodes()
        self.check_costs()
        self.check_followups()
        self.check_complaints()
        self.check_sdq()
        self.problems.raise_if_any()

    def check_ids(self) -> None:
        own = own_id_pattern(Installation.current().token)
        for table, model in MODELS.items():
            taken = set(
                model._default_manager.exclude(external_id="").values_list("external_id", flat=True)
            )
            column = id_column(table)
            seen: set[str] = set()
            for i, value in enumerate(getattr(self.ds, table)[column].to_list()):
                if value is None:  # an optional id (sdq.csv) left empty
                    continue
                if value in seen:
                    self.problem(table, i, column, f"duplicate id {quote(value)}")
                seen.add(value)
                if value in taken:
                    self.problem(
                        table,
                        i,
                        column,
                        f"{quote(value)} is already imported: a {model._meta.model_name} with "
                        "this id is in the database",
                    )
                elif own.fullmatch(value):
                    self.problem(
                        table,
                        i,
                        column,
                        f"{quote(value)} is an id this database gave one of its own rows in an "
                        "export: that row is here already",
                    )

    def child_known(self, table: str, i: int, child_id: str) -> bool:
        if child_id in self.child_ids:
            return True
        self.problem(table, i, "child_id", f"{quote(child_id)} is not in children.csv")
        return False

    def check_districts(self) -> None:
        ds = self.ds
        self.districts = {
            d.name: d for d in District.objects.select_related("team", "group", "municipality")
        }
        self.groups = {g.name: g for g in DistrictGroup.objects.all()}
        self.teams = {t.name: t for t in Team.objects.all()}
        # The teams of the cases of each district's children, for a district without a team.
        district_of = dict(ds.children.select("child_id", "district").iter_rows())
        case_teams: dict[str, list[str]] = {}
        for child_id, team in ds.cases.select("child_id", "team").iter_rows():
            if child_id in district_of:
                case_teams.setdefault(district_of[child_id], []).append(team)
        self.new_districts: list[tuple[str, str, str]] = []  # name, group, team
        for i, row in _rows(ds.districts):
            name, group, team = row["district"], row["group"], row["team"]
            existing = self.districts.get(name)
            if existing is not None:
                if existing.group.name != group:
                    self.problem(
                        "districts",
                        i,
                        "group",
                        f"the district {quote(name)} is in the group "
                        f"{quote(existing.group.name)} in the database",
                    )
                if team is not None and existing.team.name != team:
                    self.problem(
                        "districts",
                        i,
                        "team",
                        f"the district {quote(name)} is served by "
                        f"{quote(existing.team.name)} in the database",
                    )
                continue
            team = team or _majority(case_teams.get(name, []))
            if team is None:
                self.problem(
                    "districts",
                    i,
                    "team",
                    f"the new district {quote(name)} needs a team: fill in the team column "
                    "(none of its children has a case that names one)",
                )
                continue
            self.new_districts.append((name, group, team))
        known = set(ds.districts["district"].to_list())
        for i, name in enumerate(ds.children["district"].to_list()):
            if name not in known:
                self.problem("children", i, "district", f"{quote(name)} is not in districts.csv")

    def check_cases(self) -> None:
        ds = self.ds
        for i, child_id in enumerate(ds.cases["child_id"].to_list()):
            self.child_known("cases", i, child_id)
        self.spans = case_spans(ds)
        self.problems.extend(overlapping_cases(self.spans))

    def open_case(self, child_id: str, day: date) -> CaseSpan | None:
        return case_open_on(self.spans.get(child_id, []), day)

    def check_episodes(self) -> None:
        self.catalogue: dict[str, Intervention] = {}
        for intervention in Intervention.objects.order_by("-pk"):
            self.catalogue[intervention.name.casefold()] = intervention  # the first pk wins
        self.new_interventions: dict[str, tuple[str, int, str, int]] = {}
        self.episode_case: list[int] = []  # episode row → case row
        self.episode_child: dict[str, str] = {}
        self.episode_start: dict[str, date] = {}
        for i, row in _rows(self.ds.episodes):
            child_id, start = row["child_id"], row["start_date"]
            self.episode_child[row["episode_id"]] = child_id
            self.episode_start[row["episode_id"]] = start
            if self.child_known("episodes", i, child_id):
                span = self.open_case(child_id, start)
                if span is None:
                    self.problem(
                        "episodes",
                        i,
                        "start_date",
                        f"no case of the child {quote(child_id)} is open on {start}: an episode "
                        "belongs to the case open on the day it starts",
                    )
                self.episode_case.append(span.index if span else -1)
            else:
                self.episode_case.append(-1)
            self.check_intervention(i, row)
            if Decimal(str(row["daily_cost"])) > MAX_DAILY_COST:
                self.problem("episodes", i, "daily_cost", f"above {MAX_DAILY_COST} kr.")
            elif row["daily_cost"] < 0:
                self.problem("episodes", i, "daily_cost", "must not be negative")

    def check_costs(self) -> None:
        """Daily costs outside the plausible range of their placement type or step
        (data/daily_costs.json): problems the user may confirm, then imported as they are."""
        unusual = implausible_costs(self.ds, plausible_ranges())
        if self.confirm_costs:
            self.summary.confirmed_costs = unusual
        else:
            self.problems.extend(unusual)

    def check_intervention(self, i: int, row: dict[str, Any]) -> None:
        name, step, kind = row["intervention"], row["step"], row["placement_type"] or ""
        key = name.casefold()
        found = self.catalogue.get(key)
        if found is not None:
            if found.step_id != step:
                self.problem(
                    "episodes",
                    i,
                    "step",
                    f"the catalogue has {quote(found.name)} on step {found.step_id}, not {step}",
                )
            if found.placement_type != kind:
                shown = found.placement_type or "no placement type"
                self.problem(
                    "episodes",
                    i,
                    "placement_type",
                    f"the catalogue has {quote(found.name)} with {shown}, not {kind or 'none'}",
                )
            return
        first = self.new_interventions.setdefault(key, (name, step, kind, i))
        if (first[1], first[2]) != (step, kind):
            self.problem(
                "episodes",
                i,
                "intervention",
                f"{quote(name)} is new to the catalogue and has step {first[1]} "
                f"{first[2] or 'without placement type'} on line {line_of(first[3])}: one "
                "intervention has one step and placement type",
            )

    def check_followups(self) -> None:
        for i, row in _rows(self.ds.followups):
            child_id, episode_id = row["child_id"], row["episode_id"]
            self.child_known("followups", i, child_id)
            if episode_id not in self.episode_child:
                self.problem(
                    "followups", i, "episode_id", f"{quote(episode_id)} is not in episodes.csv"
                )
            elif (their_child := self.episode_child[episode_id]) != child_id:
                self.problem(
                    "followups",
                    i,
                    "child_id",
                    f"the episode {quote(episode_id)} is of child {quote(their_child)}",
                )
            elif row["date"] < (start := self.episode_start[episode_id]):
                self.problem(
                    "followups",
                    i,
                    "date",
                    f"before the episode {quote(episode_id)} started ({start})",
                )

    def check_complaints(self) -> None:
        for i, child_id in enumerate(self.ds.complaints["child_id"].to_list()):
            self.child_known("complaints", i, child_id)

    def check_sdq(self) -> None:
        for i, child_id in enumerate(self.ds.sdq["child_id"].to_list()):
            self.child_known("sdq", i, child_id)

    # -- writing -----------------------------------------------------------------------------

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
                team = _majority(teams_of[username])
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
        ds = self.ds

        children = [
            Child(
                cpr=None,
                birth_date=row["birth_date"],
                sex=row["sex"],
                district=self.districts[row["district"]],
                external_id=row["child_id"],
            )
            for _, row in _rows(ds.children)
        ]
        self.save(Child, children, "children")
        child_pk = {c.external_id: c.pk for c in children}

        with_episodes = set(self.episode_case)
        cases = []
        for i, row in _rows(ds.cases):
            closed = row["closed"]
            status = (
                Case.Status.CLOSED
                if closed
                else Case.Status.MEASURES
                if i in with_episodes
                else Case.Status.CLARIFICATION
            )
            caseworker = row["caseworker"]
            cases.append(
                Case(
                    child_id=child_pk[row["child_id"]],
                    team=self.teams[row["team"]],
                    caseworker=self.users_by_name[caseworker] if caseworker else self.import_user,
                    status=status,
                    opened_on=row["opened"],
                    closed_on=closed,
                    closure_reason=Case.ClosureReason.OTHER if closed else "",
                    external_id=row["case_id"],
                )
            )
        self.save(Case, cases, "cases")

        bases = {b.as_core(): b for b in LegalBasis.objects.all()}
        basis_cache: dict[tuple[str, date], LegalBasis | None] = {}

        def basis(concept: str, on: date) -> LegalBasis | None:
            if concept == LegalConcept.NONE:
                return None
            if (concept, on) not in basis_cache:
                try:
                    basis_cache[concept, on] = bases[legal.basis_in_force(bases, concept, on)]
                except legal.NoBasisInForce:
                    basis_cache[concept, on] = None
            return basis_cache[concept, on]

        episodes = []
        for i, row in _rows(ds.episodes):
            intervention = self.catalogue[row["intervention"].casefold()]
            case = cases[self.episode_case[i]]
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
        episode_by_id = {e.external_id: e for e in episodes}

        now = timezone.now()
        followups = []
        for _, row in _rows(ds.followups):
            episode = episode_by_id[row["episode_id"]]
            followups.append(
                FollowUp(
                    episode=episode,
                    case=episode.case,
                    held_on=row["date"],
                    form=FollowUp.Form.MEETING,
                    child_conversation=row["child_conversation"],
                    plan_review=FollowUp.PlanReview.KEPT,
                    recorded_by=self.import_user,
                    recorded_at=now,
                    external_id=row["followup_id"],
                )
            )
        self.save(FollowUp, followups, "follow-ups")

        complaints = []
        for _, row in _rows(ds.complaints):
            span = self.open_case(row["child_id"], row["date"])
            complaints.append(
                Complaint(
                    child_id=child_pk[row["child_id"]],
                    team=self.teams[row["team"]],
                    received_on=row["date"],
                    case=cases[span.index] if span else None,
                    external_id=row["complaint_id"],
                )
            )
        self.save(Complaint, complaints, "complaints")

        measurements = []
        for _, row in _rows(ds.sdq):
            span = self.open_case(row["child_id"], row["date"])
            informant = sdq.parse_informant(row["informant"])
            impact = {
                name: row[f"impact_{name}"]
                for name in SDQ_IMPACT_NAMES
                if row[f"impact_{name}"] is not None
            }
            measurement = SdqMeasurement(
                child_id=child_pk[row["child_id"]],
                case=cases[span.index] if span else None,
                informant=informant.value,
                measured_on=row["date"],
                answers=[row[column] for column in SDQ_ITEM_COLUMNS],
                impact_answers=impact or None,
                recorded_by=self.import_user,
                recorded_at=now,
                external_id=row["sdq_id"] or "",
            )
            measurement.set_scores()
            measurements.append(measurement)
        self.save(SdqMeasurement, measurements, "SDQs")
        return self.summary


def import_dataset(
    ds: Dataset, *, log: Log | None = None, confirm_costs: bool = False
) -> ImportSummary:
    """Store `ds` in the database, all or nothing; InterchangeError lists what stands in the way.

    Nothing is stored when any problem is found: the checks run before the first row is
    written, and everything runs in one transaction. A daily cost outside its plausible range
    is a problem (`confirmable`) unless `confirm_costs`; then the summary lists it.
    """
    with transaction.atomic():
        summary = _Importer(ds, log or _quiet, confirm_costs).run()
        data_imported.send(sender=_Importer, summary=summary)
        return summary


# --- Export -----------------------------------------------------------------------------------


def export_dataset(*, pseudonymise: bool = False) -> Dataset:
    """The six tables of the interchange format from the database (the steering's read model,
    `steering_data.database`). `pseudonymise`: ids and caseworkers replaced by this
    installation's pseudonyms, birth dates coarsened to the month (docs/privacy.md)."""
    ds = dataset_from_database(steering=False)
    if pseudonymise:
        return pseudonymise_dataset(ds, installation_secret())
    return ds
