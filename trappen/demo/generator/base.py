"""The builder's shared state and helpers: one random stream, dates and times, deadlines."""

import random
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from trappen.cases.models import Child
from trappen.catalogue.models import Intervention
from trappen.core import deadlines
from trappen.organisation.models import District, DistrictGroup, Team, User
from trappen.rules.models import DeadlineRule

from .constants import (
    DAILY_COST,
    HISTORY_DAYS,
    KIND_MIX,
    Log,
    fits,
)
from .plans import CasePlan, TeamStaff, days


class Base:
    """State and helpers the phases share: one random stream, the days, the rules."""

    # What each phase leaves for the later ones (set by organisation, plan and staff).
    teams: list[Team]
    districts: list[District]
    pilot_group: DistrictGroup
    pilot_teams: set[int]
    district_weights: list[float]
    interventions: dict[int, dict[str, list[Intervention]]]
    children: list[Child]
    plans: list[CasePlan]
    queue_children: list[Child]
    staffing: dict[int, TeamStaff]

    def __init__(self, *, children: int, seed: int, today: date, log: Log) -> None:
        self.n_children = children
        self.rng = random.Random(seed)
        self.today = today
        self.last = today - days(1)  # the history's last day: nothing is timed today
        self.first = today - days(HISTORY_DAYS)
        self.log = log
        self.tz = timezone.get_current_timezone()
        self.midnight = self.at(today, 0, 0)
        self.counts: dict[str, int] = {}
        self.rules: list[deadlines.DeadlineRule] | None = None
        self.started = time.perf_counter()
        self.phase_started = self.started

    # helpers
    def deadline(self, key: str, start: datetime) -> datetime:
        """As `trappen.rules.models.deadline_for`, with the rules read once, not per call.

        (The generator computes some 30,000 deadlines at 10,000 children; a test checks that
        every one equals what `deadline_for` and `date_deadline_for` give.)
        """
        if self.rules is None:
            self.rules = [r.as_core() for r in DeadlineRule.objects.all()]
        return deadlines.deadline(self.rules, key, start)

    def date_deadline(self, key: str, start: date) -> date:
        return self.deadline(key, datetime(start.year, start.month, start.day)).date()

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def day_in(self, start: date, end: date) -> date:
        return start + days(self.rng.randint(0, max(0, (end - start).days)))

    def weighted(self, choices: Iterable[tuple[Any, int]]) -> Any:
        items = list(choices)
        return self.rng.choices([c for c, _w in items], weights=[w for _c, w in items])[0]

    def phase(self, text: str) -> None:
        now = time.perf_counter()
        self.log(f"  {text} ({now - self.phase_started:.1f} s)")
        self.phase_started = now

    def save(self, model: type[models.Model], objs: list[Any]) -> list[Any]:
        created = model._default_manager.bulk_create(objs, batch_size=2000)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(created)
        return created

    def team_of(self, district: District) -> Team:
        return next(t for t in self.teams if t.pk == district.team_id)

    def owner(self, plan: CasePlan, day: date) -> tuple[User, TeamStaff]:
        """Who held the case on `day`, and that team's staff."""
        assert plan.caseworker and plan.first_caseworker and plan.team
        if plan.transfer and day < plan.transfer[2]:
            return plan.first_caseworker, self.staffing[plan.transfer[0].team_id]
        if plan.reassigned_on and day < plan.reassigned_on:
            return plan.first_caseworker, self.staffing[plan.team.pk]
        return plan.caseworker, self.staffing[plan.team.pk]

    def before_today(self, moment: datetime) -> datetime:
        """Nothing in the history is timed today (it may still be early morning)."""
        return min(moment, self.midnight - timedelta(minutes=5))

    def timed(self, day: date, first_hour: int = 8, last_hour: int = 15) -> datetime:
        return self.at(day, self.rng.randint(first_hour, last_hour), self.rng.randint(0, 59))

    def intervention(self, step: int, age: int) -> Intervention:
        """An offer of `step` (or the nearest step that has one) for a child of `age`.

        First the kind (not a placement, or a placement type) by KIND_MIX, then any offer of
        that kind whose target ages include the child's age (DEMO_AGES where the catalogue gives
        none). Kinds with no offer for the age are skipped; if none is left, the age is ignored.
        """
        for candidate in sorted(range(6), key=lambda s: (abs(s - step), -s)):
            if not (kinds := self.interventions.get(candidate)):
                continue
            fitting = {k: [i for i in offers if fits(i, age)] for k, offers in kinds.items()}
            fitting = {k: offers for k, offers in fitting.items() if offers} or kinds
            mix = KIND_MIX.get(candidate, {})
            names = sorted(fitting)
            kind = self.rng.choices(names, weights=[mix.get(k, 1) for k in names])[0]
            return self.rng.choice(fitting[kind])
        raise LookupError("The catalogue has no interventions; run the migrations first.")

    def cost(self, step: int) -> Decimal:
        low, high = DAILY_COST[step]
        return Decimal(self.rng.randint(low * 4, high * 4)) / 4
