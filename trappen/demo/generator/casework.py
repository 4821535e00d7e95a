"""Phase 5: early steps, journal entries, child investigations, action plans and measures."""

from collections import defaultdict
from datetime import date

from trappen.cases.models import (
    Case,
    EarlyStep,
    JournalEntry,
)
from trappen.cases.models import Profession as StepProfession
from trappen.investigations.models import ChildInvestigation, NetworkMapEntry
from trappen.measures.models import Episode
from trappen.plans.models import ActionPlan, ActionPlanRevision, Goal

from .base import Base
from .names import ADULTS, LAST_NAMES
from .plans import CasePlan, days
from .texts import (
    CONCLUSIONS_NONE,
    CONCLUSIONS_SUPPORT,
    EARLY_NOTES,
    GOALS,
    JOURNAL_TEXTS,
    JOURNAL_WEIGHTS,
    NETWORK,
    PURPOSES,
)


class CaseWork(Base):
    def early_steps(self, plan: CasePlan, until: date) -> list[EarlyStep]:
        rng = self.rng
        case: Case = plan.case  # type: ignore[attr-defined]
        if plan.kind == "measures":
            count = rng.randint(0, 2) if plan.pilot else rng.randint(0, 1)
        else:
            count = rng.randint(1, 5) if plan.pilot else rng.randint(0, 2)
        out: list[EarlyStep] = []
        talks_done = False
        for _n in range(count):
            day = self.day_in(plan.opened, max(plan.opened, until))
            worker, staff = self.owner(plan, day)
            age = plan.child.age_on(day)
            kind = self.weighted(
                [
                    (EarlyStep.Kind.NETWORK_MEETING, 30),
                    (EarlyStep.Kind.PSYCHOLOGIST_TALK, 0 if talks_done else 25),
                    (EarlyStep.Kind.JOINT_HOME_VISIT, 15 if age < 3 else 0),
                    (EarlyStep.Kind.NEEDS_VISIT, 15 if age < 6 else 0),
                    (EarlyStep.Kind.EARLY_SUPPORT, 25),
                ]
            )
            P = StepProfession
            if kind == EarlyStep.Kind.PSYCHOLOGIST_TALK:
                talks_done = True
                for number in range(1, rng.randint(1, 5) + 1):
                    if day > (plan.closed or self.last):
                        break
                    professions = [P.PSYCHOLOGIST] + ([P.CASEWORKER] if number == 1 else [])
                    out.append(
                        EarlyStep(
                            case=case,
                            kind=kind,
                            held_on=day,
                            professions=[str(p) for p in professions],
                            talk_number=number,
                            note=EARLY_NOTES[kind],
                            recorded_by=staff.psychologist,
                        )
                    )
                    day += days(rng.randint(7, 14))
                continue
            recorder = worker
            if kind == EarlyStep.Kind.NETWORK_MEETING:
                professions = [P.CASEWORKER, P.SCHOOL]
                if rng.random() < 0.5:
                    professions.append(P.PSYCHOLOGIST)
                if age < 6 and rng.random() < 0.5:
                    professions.append(P.HEALTH_VISITOR)
            elif kind == EarlyStep.Kind.JOINT_HOME_VISIT:
                professions = [P.CASEWORKER, P.HEALTH_VISITOR]
            elif kind == EarlyStep.Kind.NEEDS_VISIT:
                professions, recorder = [P.HEALTH_VISITOR], staff.health_visitor
            else:
                professions = [P.CASEWORKER, P.FAMILY_CENTRE]
            out.append(
                EarlyStep(
                    case=case,
                    kind=kind,
                    held_on=day,
                    professions=[str(p) for p in professions],
                    note=EARLY_NOTES[kind],
                    recorded_by=recorder,
                )
            )
        return out

    def case_work(self) -> None:
        rng = self.rng
        early: list[EarlyStep] = []
        investigations: list[ChildInvestigation] = []
        network: list[NetworkMapEntry] = []
        journal: list[JournalEntry] = []
        episodes: list[Episode] = []
        plans: list[ActionPlan] = []
        revisions: list[ActionPlanRevision] = []
        goals: list[Goal] = []
        for plan in self.plans:
            case: Case = plan.case  # type: ignore[attr-defined]
            end = plan.closed or self.last
            starts = [e.start for e in plan.episodes]
            until = min([end, *starts, *([plan.inv_start] if plan.inv_start else [])])
            early += self.early_steps(plan, until)
            # Journal: notes through the case, a child conversation during the investigation,
            # a hearing of the child before the first measure from step 2.
            moments: list[tuple[date, str]] = []
            for _n in range(rng.randint(1, min(8, 1 + (end - plan.opened).days // 60))):
                heading = self.weighted(JOURNAL_WEIGHTS.items())
                moments.append((self.day_in(plan.opened, end), heading))
            if plan.inv_start:
                inv_end = plan.inv_done or self.last
                moments.append(
                    (self.day_in(plan.inv_start, inv_end), JournalEntry.Heading.CHILD_CONVERSATION)
                )
            bigger = [e.start for e in plan.episodes if e.step >= 2]
            if bigger:
                hearing = max(plan.opened, min(bigger) - days(rng.randint(1, 14)))
                moments.append((hearing, JournalEntry.Heading.CHILD_HEARING))
            for day, heading in moments:
                journal.append(
                    JournalEntry(
                        case=case,
                        author=self.owner(plan, day)[0],
                        written_at=self.timed(day),
                        heading=heading,
                        text=rng.choice(JOURNAL_TEXTS[JournalEntry.Heading(heading)]),
                    )
                )
            if plan.inv_start:
                worker = self.owner(plan, plan.inv_start)[0]
                support = plan.kind == "measures"
                inv = ChildInvestigation(
                    case=case,
                    started_on=plan.inv_start,
                    deadline=plan.inv_deadline,
                    completed_on=plan.inv_done,
                    conclusion=rng.choice(CONCLUSIONS_SUPPORT if support else CONCLUSIONS_NONE)
                    if plan.inv_done
                    else "",
                    started_by=worker,
                )
                investigations.append(inv)
                size = rng.randint(2, 5) if plan.inv_done else rng.randint(0, 2)
                for relation, label, kind in rng.sample(NETWORK, size):
                    family = kind == "concern" or relation in {"Mor", "Far", "Moster"}
                    surname = plan.child.last_name if family else rng.choice(LAST_NAMES)
                    network.append(
                        NetworkMapEntry(
                            investigation=inv,
                            person=f"{rng.choice(ADULTS)} {surname}",
                            relation=label,
                            kind=kind,
                            contact="" if rng.random() < 0.5 else "Kontakt via rådgiveren",
                        )
                    )
            for ep in plan.episodes:
                intervention = self.intervention(ep.step, plan.child.age_on(ep.start))
                episodes.append(
                    Episode(
                        child=plan.child,
                        case=case,
                        intervention=intervention,
                        start_on=ep.start,
                        end_on=ep.end,
                        end_reason=ep.reason if ep.end else "",
                        provider=intervention.provider,
                        daily_cost=self.cost(ep.step),
                        created_by=self.owner(plan, ep.start)[0],
                    )
                )
            if plan.kind == "measures" and plan.episodes and plan.inv_done:
                action_plan = ActionPlan(case=case)
                plans.append(action_plan)
                day = max(plan.inv_done, min(starts) - days(rng.randint(0, 7)))
                number = 0
                while day <= end and number < 3:
                    number += 1
                    revision = ActionPlanRevision(
                        plan=action_plan,
                        number=number,
                        purpose=rng.choice(PURPOSES),
                        author=self.owner(plan, day)[0],
                        created_at=self.timed(day),
                    )
                    revisions.append(revision)
                    for goal, who, sign in rng.sample(GOALS, rng.randint(1, 3)):
                        goals.append(
                            Goal(
                                revision=revision,
                                goal=goal,
                                who=who,
                                progress_sign=sign,
                                due_on=day + days(rng.randint(90, 365)),
                            )
                        )
                    day += days(rng.randint(150, 250))
        self.save(EarlyStep, early)
        self.save(JournalEntry, journal)
        self.save(ChildInvestigation, investigations)
        self.save(NetworkMapEntry, network)
        self.phase(
            f"Case work: {len(early)} early steps, {len(journal)} journal entries, "
            f"{len(investigations)} child investigations"
        )
        self.save(ActionPlan, plans)
        self.save(ActionPlanRevision, revisions)
        self.save(Goal, goals)
        self.save(Episode, episodes)
        on_steps: dict[int, int] = defaultdict(int)
        for row in episodes:
            on_steps[row.intervention.step_id] += 1
        per_step = ", ".join(f"step {s}: {on_steps[s]}" for s in sorted(on_steps))
        self.phase(
            f"Action plans: {len(plans)} with {len(revisions)} revisions; "
            f"measures: {len(episodes)} ({per_step})"
        )
