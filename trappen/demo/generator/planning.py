"""Phase 2: the children and every case planned as dates only (the trajectories)."""

from collections import defaultdict
from datetime import date

from trappen.cases.models import (
    Child,
)
from trappen.core.cpr import century
from trappen.core.deadlines import add_months
from trappen.measures.models import Episode
from trappen.rules.models import DeadlineRule

from .base import Base
from .constants import (
    DURATION,
    KINDS,
    PEAK_STEP,
)
from .names import BOYS, GIRLS, LAST_NAMES
from .plans import CasePlan, EpisodePlan, days


class Planning(Base):
    def cpr(self, born: date, male: bool, taken: set[str]) -> str:
        yy = born.year % 100
        sevenths = [s for s in range(10) if century(yy, s) + yy == born.year]
        while True:
            serial = f"{self.rng.choice(sevenths)}{self.rng.randint(0, 99):02d}"
            last = self.rng.randrange(1 if male else 0, 10, 2)
            number = f"{born:%d%m}{yy:02d}{serial}{last}"
            if number not in taken:
                taken.add(number)
                return number

    def make_child(self, taken: set[str], *, born_before: date) -> Child:
        oldest = add_months(self.today, -18 * 12) + days(1)
        born = self.day_in(oldest, born_before)
        male = self.rng.random() < 0.52
        district = self.rng.choices(self.districts, weights=self.district_weights)[0]
        return Child(
            cpr=self.cpr(born, male, taken),
            first_name=self.rng.choice(BOYS if male else GIRLS),
            last_name=self.rng.choice(LAST_NAMES),
            birth_date=born,
            sex="male" if male else "female",
            district=district,
        )

    def plan(self) -> None:
        taken: set[str] = set()
        n_queue = max(3, round(self.n_children * 0.012))
        self.children: list[Child] = []
        self.plans: list[CasePlan] = []
        self.queue_children: list[Child] = []
        for _i in range(self.n_children - n_queue):
            child = self.make_child(taken, born_before=self.today - days(30))
            self.children.append(child)
            pilot = child.district.group_id == self.pilot_group.pk
            opened = self.day_in(max(self.first, child.birth_date + days(7)), self.last)
            while opened <= self.last:
                plan = self.plan_case(child, pilot, opened)
                self.plans.append(plan)
                if plan.closed is None or self.rng.random() > 0.25:
                    break
                opened = plan.closed + days(self.rng.randint(30, 400))
        for _i in range(n_queue):
            child = self.make_child(taken, born_before=self.today - days(30))
            self.children.append(child)
            self.queue_children.append(child)
        self.plan_transfers()
        open_plans = sum(p.is_open for p in self.plans)
        self.phase(
            f"Planned {len(self.children)} children, {len(self.plans)} cases "
            f"({open_plans} open), {n_queue} new children in the assignment queues"
        )

    def plan_case(self, child: Child, pilot: bool, opened: date) -> CasePlan:
        column = 0 if pilot else 1
        kind = self.weighted((k, w[column]) for k, w in KINDS.items())
        plan = CasePlan(child=child, pilot=pilot, kind=kind, opened=opened)
        rng, last = self.rng, self.last
        if kind == "clarify":
            closed = opened + days(rng.randint(7, 90))
            if closed <= last:
                plan.closed = closed
                plan.reason = self.weighted(
                    [("no_need", 55), ("early_support", 25), ("moved_away", 10), ("other", 10)]
                )
            return plan
        if kind == "early":
            day = opened + days(rng.randint(14, 60))
            for _n in range(1 if rng.random() < 0.75 else 2):
                if day > last:
                    return plan
                step = 0 if rng.random() < 0.35 else 1
                end = day + days(rng.randint(*DURATION[step]))
                episode = EpisodePlan(step, day, end if end <= last else None, "planned")
                plan.episodes.append(episode)
                if episode.end is None:
                    episode.reason = ""
                    return plan
                day = end + days(rng.randint(0, 14))
            closed = end + days(rng.randint(0, 14))  # the last episode's end
            if closed <= last:
                plan.closed = closed
                plan.reason = "early_support" if rng.random() < 0.8 else "goals_met"
            return plan
        # Both other kinds investigate first.
        inv_start = opened + days(rng.randint(7, 45))
        if inv_start > last:
            return plan
        plan.inv_start = inv_start
        plan.inv_deadline = self.date_deadline(DeadlineRule.Key.CHILD_INVESTIGATION, inv_start)
        if rng.random() < 0.85:
            done = inv_start + days(rng.randint(50, 115))
            done = min(done, plan.inv_deadline)
        else:
            done = plan.inv_deadline + days(rng.randint(1, 45))
        if done > last:
            return plan
        plan.inv_done = done
        if kind == "investigate":
            closed = done + days(rng.randint(0, 30))
            if closed <= last:
                plan.closed = closed
                plan.reason = "no_need" if rng.random() < 0.55 else "early_support"
            return plan
        self.plan_measures(plan, done + days(rng.randint(0, 21)))
        return plan

    def staircase_path(self, peak: int) -> list[int]:
        rng = self.rng
        if peak <= 1:
            return [peak] + ([1] if rng.random() < 0.3 else [])
        if peak == 2:
            return ([1] if rng.random() < 0.35 else []) + [2] + ([2] if rng.random() < 0.3 else [])
        path = ([2] if rng.random() < 0.4 else []) + [peak]
        # Moving down the staircase as things get better: institution → foster care → home.
        if peak == 5 and rng.random() < 0.45:
            path.append(4)
            if rng.random() < 0.6:
                path.append(2)
        elif peak == 4 and rng.random() < 0.35:
            path.append(rng.choice([3, 2]))
        elif peak == 3 and rng.random() < 0.3:
            path.append(2)
        return path

    def plan_measures(self, plan: CasePlan, day: date) -> None:
        self.plan_episodes(plan, day)
        # What would end after yesterday is still running.
        for episode in plan.episodes:
            if episode.end and episode.end > self.last:
                episode.end, episode.reason = None, ""

    def plan_episodes(self, plan: CasePlan, day: date) -> None:
        """Measures along a path up (and maybe down) the staircase, with planned end dates."""
        rng, last = self.rng, self.last
        column = 0 if plan.pilot else 1
        path = self.staircase_path(self.weighted((s, w[column]) for s, w in PEAK_STEP.items()))
        breakdowns = 0
        i = 0
        while i < len(path):
            step = path[i]
            if day > last:
                return  # the next measure has not started yet
            end = day + days(rng.randint(*DURATION[step]))
            plan.episodes.append(episode := EpisodePlan(step, day, end))
            if step <= 2 and rng.random() < 0.15:  # a small parallel measure alongside
                side_start = day + days(rng.randint(0, 30))
                side_end = side_start + days(rng.randint(30, 120))
                if side_start <= last:
                    plan.episodes.append(
                        EpisodePlan(rng.choice([0, 1]), side_start, side_end, "planned")
                    )
            if end > last:
                return  # still running
            if step >= 2 and breakdowns < 2 and rng.random() < 0.18:
                episode.reason = Episode.EndReason.BREAKDOWN
                breakdowns += 1
                path.insert(i + 1, min(5, step + rng.choice([0, 1])))
                day = end + days(rng.randint(0, 2))
            else:
                episode.reason = self.weighted([("planned", 90), ("other", 10)])
                day = end + days(rng.randint(0, 14))
            i += 1
        last_end = max(e.end for e in plan.episodes if e.end)
        closed = last_end + days(rng.randint(0, 30))
        if closed <= last:
            plan.closed = closed
            plan.reason = self.weighted(
                [("goals_met", 75), ("moved_away", 10), ("no_need", 10), ("other", 5)]
            )
            if plan.reason == "moved_away":
                final = max(plan.episodes, key=lambda e: (e.end, e.start))
                final.reason = Episode.EndReason.MOVED

    def plan_transfers(self) -> None:
        """A few families moved to another team's district; the case moved with them."""
        count: dict[str | None, int] = defaultdict(int)
        for plan in self.plans:
            count[plan.child.cpr] += 1
        candidates = [
            p
            for p in self.plans
            if count[p.child.cpr] == 1
            and p.kind != "measures"
            and ((p.closed or self.last) - p.opened).days >= 21
        ]
        for plan in self.rng.sample(
            candidates, min(len(candidates), max(2, self.n_children // 200))
        ):
            home = plan.child.district
            others = [d for d in self.districts if d.team_id != home.team_id]
            origin = self.rng.choice(others)
            end = plan.closed or self.last
            requested = plan.opened + days(self.rng.randint(5, (end - plan.opened).days - 14))
            completed = requested + days(self.rng.randint(1, 7))
            plan.transfer = (origin, requested, completed)
