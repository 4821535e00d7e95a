"""Phase 4: children and cases saved, then their notifications, assignments, transfers and
notices."""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from trappen.cases.models import (
    Case,
    CaseAssignment,
    Child,
    Transfer,
)
from trappen.intake.models import Notification
from trappen.notices.models import Notice
from trappen.organisation.models import (
    User,
)
from trappen.rules.models import DeadlineRule

from .base import Base
from .plans import days
from .texts import (
    ASSESSMENTS,
    CONCERNS,
    SOURCES,
    URGENT_HANDLED,
)


class Cases(Base):
    def notification(
        self,
        child: Child,
        case: Case | None,
        received: datetime,
        *,
        registrar: User,
        assessors: list[User],
        unassessed: bool | None = None,
    ) -> Notification:
        rng = self.rng
        age_days = (self.today - received.date()).days  # 1: yesterday
        if unassessed is None:
            chance = 0.5 if age_days <= 1 else 0.15 if age_days <= 5 else 0.0
            unassessed = rng.random() < chance
        if child.age_on(received.date()) < 1:
            source = self.weighted([(Notification.Source.HEALTH_VISITOR, 60), *SOURCES[3:]])
        else:
            source = self.weighted(SOURCES)
        n = Notification(
            child=child,
            case=case,
            received_at=received,
            source=source,
            content=rng.choice(CONCERNS),
            registered_by=registrar,
            registered_at=self.before_today(received + timedelta(minutes=rng.randint(5, 90))),
            assessment_deadline=self.deadline(DeadlineRule.Key.NOTIFICATION_ASSESSMENT, received),
        )
        if not unassessed:
            late = rng.random() < 0.07
            delay = rng.randint(25 * 60, 60 * 60) if late else rng.randint(15, 20 * 60)
            n.assessed_at = self.before_today(received + timedelta(minutes=delay))
            n.assessed_by = rng.choice(assessors)
            n.urgent_action = rng.random() < 0.08
            n.assessment_note = ASSESSMENTS[2] if n.urgent_action else rng.choice(ASSESSMENTS)
            if n.urgent_action and age_days > 1:  # the urgent path long since ended
                n.urgent_handled_by = n.assessed_by
                n.urgent_handled_at = self.before_today(n.assessed_at + timedelta(hours=4))
                n.urgent_handled_note = URGENT_HANDLED
        return n

    def caseload_index(self) -> Callable[[User, date], int]:
        opened: dict[int, list[date]] = defaultdict(list)
        closed: dict[int, list[date]] = defaultdict(list)
        for plan in self.plans:
            worker = plan.caseworker.pk  # type: ignore[union-attr]
            opened[worker].append(plan.opened)
            if plan.closed:
                closed[worker].append(plan.closed)
        for lists in (opened, closed):
            for values in lists.values():
                values.sort()

        def load(user: User, day: date) -> int:
            return bisect_right(opened[user.pk], day - days(1)) - bisect_right(closed[user.pk], day)

        return load

    def children_and_cases(self) -> None:
        rng = self.rng
        self.save(Child, self.children)
        cases = []
        for plan in self.plans:
            plan.case = Case(  # type: ignore[attr-defined]
                child=plan.child,
                team=plan.team,
                caseworker=plan.caseworker,
                status=plan.status(),
                opened_on=plan.opened,
                closed_on=plan.closed,
                closure_reason=plan.reason,
                closure_note="Afsluttet efter aftale med familien." if plan.closed else "",
            )
            cases.append(plan.case)  # type: ignore[attr-defined]
        self.save(Case, cases)
        self.phase(f"Children and cases: {len(self.children)} children, {len(cases)} cases")

        load = self.caseload_index()
        notifications: list[Notification] = []
        assignments: list[CaseAssignment] = []
        notices: list[Notice] = []
        transfers: list[Transfer] = []
        for plan in self.plans:
            case: Case = plan.case  # type: ignore[attr-defined]
            end = plan.closed or self.last
            span = (end - plan.opened).days
            # The first notification opened the case; more may come while it is open.
            times = [self.timed(plan.opened, 7, 20)]
            for _n in range(self.weighted([(0, 45), (1, 30), (2, 15), (3, 10)])):
                if span >= 2:
                    times.append(self.timed(plan.opened + days(rng.randint(1, span)), 7, 21))
            if plan.is_open and rng.random() < 0.04:
                recent = self.last - days(rng.randint(0, 4))
                if recent > plan.opened:
                    times.append(self.timed(recent, 7, 21))
            for received in sorted(times):
                worker, staff = self.owner(plan, received.date())
                n = self.notification(
                    plan.child,
                    case,
                    received,
                    registrar=rng.choice([worker, staff.leader]),
                    assessors=[worker, staff.leader],
                )
                notifications.append(n)
                if n.assessed_at is None and plan.is_open:
                    notices.append(
                        Notice(
                            recipient=plan.caseworker,
                            created_at=n.registered_at,
                            text=_("New notification in your case"),
                            case=case,
                        )
                    )
            # Assignments: the first, a change of caseworker, the receiving team's caseworker.
            first_worker, first_staff = self.owner(plan, plan.opened)
            events = [(plan.opened, first_worker, first_staff, times[0] + timedelta(hours=1))]
            if plan.reassigned_on:
                staff = self.staffing[plan.team.pk]  # type: ignore[union-attr]
                moment = self.timed(plan.reassigned_on)
                assert plan.caseworker is not None  # a reassigned case has its new caseworker
                events.append((plan.reassigned_on, plan.caseworker, staff, moment))
            if plan.transfer:
                origin, requested, completed = plan.transfer
                staff = self.staffing[plan.team.pk]  # type: ignore[union-attr]
                completed_at = self.timed(completed, 9, 15)
                assert plan.caseworker is not None  # so has a transferred one
                events.append((completed, plan.caseworker, staff, completed_at))
                transfers.append(
                    Transfer(
                        case=case,
                        from_team=first_staff.team,
                        to_district=plan.child.district,
                        to_team=plan.team,
                        receiving_team_leader=staff.leader,
                        handover_meeting_on=completed + days(rng.randint(0, 7)),
                        requested_by=first_worker,
                        requested_at=self.timed(requested),
                        new_caseworker=plan.caseworker,
                        completed_at=completed_at,
                    )
                )
            for day, worker, staff, moment in events:
                workers = sorted(staff.caseworkers, key=lambda u: (u.first_name, u.last_name, u.pk))
                loads = {w: load(w, day) for w in workers}
                suggested = min(workers, key=lambda w: loads[w])
                assignments.append(
                    CaseAssignment(
                        case=case,
                        caseworker=worker,
                        assigned_by=staff.leader,
                        assigned_at=self.before_today(
                            moment + timedelta(minutes=rng.randint(0, 1500))
                        ),
                        caseload_at_assignment=loads[worker],
                        was_suggested=worker == suggested,
                    )
                )
            if plan.is_open and (self.today - plan.opened).days <= 14:
                notices.append(
                    Notice(
                        recipient=plan.caseworker,
                        created_at=assignments[-1].assigned_at,
                        text=_("A new case has been assigned to you"),
                        case=case,
                    )
                )
        # New children waiting in the team leaders' queues; the oldest is overdue.
        for i, child in enumerate(self.queue_children):
            staff = self.staffing[child.district.team_id]
            received = self.timed(self.last - days(2 if i == 0 else rng.randint(0, 5)), 7, 21)
            n = self.notification(
                child,
                None,
                received,
                registrar=rng.choice(staff.caseworkers),
                assessors=[staff.leader],
                unassessed=True if i == 0 else None,
            )
            notifications.append(n)
            notices.append(
                Notice(
                    recipient=staff.leader,
                    created_at=n.registered_at,
                    text=_("New notification awaiting assignment"),
                )
            )
        self.save(Notification, notifications)
        self.save(CaseAssignment, assignments)
        self.save(Transfer, transfers)
        self.save(Notice, notices)
        overdue = sum(
            1
            for n in notifications
            if n.assessed_at is None and n.assessment_deadline < self.midnight
        )
        self.phase(
            f"Notifications: {len(notifications)} ({overdue} unassessed past the deadline), "
            f"{len(assignments)} assignments, {len(transfers)} transfers"
        )
