"""The import's first half: what only the database can tell, checked before a row is written.

`core.interchange.read_dataset` has checked the files' own rules; these checks add the ids
already imported, the districts, teams and catalogue in the database, and which case each
episode, complaint and SDQ belongs to. Every problem is collected; nothing is stored if any.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from trappen.catalogue.models import Intervention
from trappen.core.dataset import SCHEMA, Dataset
from trappen.core.interchange import (
    CaseSpan,
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
from trappen.organisation.models import District, DistrictGroup, Municipality, Team

from ..costs import plausible_ranges
from ..models import Installation
from .ids import MODELS, own_id_pattern
from .summary import ImportSummary

Log = Callable[[str], None]

MAX_DAILY_COST = Decimal("9999999.99")  # Episode.daily_cost: 9 digits, 2 decimals


def rows(frame: pl.DataFrame) -> Iterator[tuple[int, dict[str, Any]]]:
    return enumerate(frame.iter_rows(named=True))


def majority(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)  # a tie: the first by name


class Checks:
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
        for i, row in rows(ds.districts):
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
            team = team or majority(case_teams.get(name, []))
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
        for i, row in rows(self.ds.episodes):
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
        for i, row in rows(self.ds.followups):
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
