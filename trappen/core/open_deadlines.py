"""One truth about a case's open deadlines (F10 point 5), as a pure rule over plain rows.

Every page that shows a case's deadlines (the case page, the caseworker's "Mit overblik" and
its "Næste frist", "Mine opfølgninger", the team view) gathers these rows and calls
`open_deadlines()`; none decides on its own what is due. The kinds, with what each rests on
(Barnets Lov, LBK nr 282 af 17/03/2025; the amounts are rule rows in core/data/deadlines.json):

- ASSESSMENT: an unassessed notification's 24-hour assessment (§ 136; the deadline fixed at
  registration from the rule in force).
- INVESTIGATION: an open børnefaglig undersøgelse, due 4 months after the municipality became
  aware (§ 20, stk. 3). Screening (§ 18) and afdækning (§ 19) have no deadline.
- PRELIMINARY: past that deadline with no foreløbig vurdering: one is due at once (§ 20,
  stk. 3, 2. pkt.); it stays open until it is made.
- PLAN: barnets plan for a § 32 support or a §§ 46-47 placement, 3 months after the decision,
  before it for a placement without consent (§ 91, stk. 1-2; `duties.plan_due`); open while no
  plan exists.
- FOLLOW_UP: an active measure's next follow-up by the model or the law (§ 95 and the model's
  rhythm; planned by the due lists, handed in as its date).
- EXIT_PLAN: an institution placement without its exit plan (the Herning model: the discharge
  planned from the day of admission, KORA 2017), due on the day of admission; an exit plan
  made gives the planned discharge (DISCHARGE) as the date to keep.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from .deadlines import DeadlineRule, NoRuleInForce, deadline
from .duties import InvestigationClock, plan_due


class Kind(StrEnum):
    ASSESSMENT = "assessment"
    INVESTIGATION = "investigation"
    PRELIMINARY = "preliminary"
    PLAN = "plan"
    FOLLOW_UP = "follow_up"
    EXIT_PLAN = "exit_plan"
    DISCHARGE = "discharge"


# What each kind rests on, shown beside it.
SOURCES: dict[Kind, str] = {
    Kind.ASSESSMENT: "Barnets Lov § 136",
    Kind.INVESTIGATION: "Barnets Lov § 20, stk. 3",
    Kind.PRELIMINARY: "Barnets Lov § 20, stk. 3",
    Kind.PLAN: "Barnets Lov § 91, stk. 1-2",
    Kind.FOLLOW_UP: "Barnets Lov § 95",
    Kind.EXIT_PLAN: "KORA 2017, Herningmodellen",
    Kind.DISCHARGE: "KORA 2017, Herningmodellen",
}

INVESTIGATION_TIER = "investigation"  # the børnefaglig undersøgelse (§ 20); the others: none


@dataclass(frozen=True)
class NotificationRow:
    case: int
    due: datetime  # the assessment deadline, fixed at registration
    assessed: bool


@dataclass(frozen=True)
class InvestigationRow:
    case: int
    tier: str
    deadline: date | None
    completed_on: date | None
    preliminary_on: date | None
    aware_on: date | None = None


@dataclass(frozen=True)
class MeasureRow:
    """An active measure (episode) of the case."""

    case: int
    episode: int
    name: str
    start_on: date
    needs_plan: bool  # a § 32 support or a §§ 46-47 placement (core.legal.PLAN_CONCEPTS)
    without_consent: bool = False  # § 47
    institution: bool = False  # an institution placement (step 5): needs an exit plan
    has_exit_plan: bool = False
    planned_discharge_on: date | None = None


@dataclass(frozen=True)
class FollowUpRow:
    case: int
    episode: int
    name: str
    due: date


@dataclass(frozen=True)
class CaseRows:
    """Everything `open_deadlines()` reads, for any number of cases. `plans_made`: per case pk,
    the day its first plan was made (no entry: no plan)."""

    notifications: Iterable[NotificationRow] = ()
    investigations: Iterable[InvestigationRow] = ()
    measures: Iterable[MeasureRow] = ()
    follow_ups: Iterable[FollowUpRow] = ()
    plans_made: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenDeadline:
    case: int
    kind: Kind
    due: datetime | date
    subject: str = ""  # the measure it concerns, or ""
    episode: int | None = None

    @property
    def source(self) -> str:
        return SOURCES[self.kind]

    def moment(self, now: datetime) -> datetime:
        """The due moment, a date at the end of its day in `now`'s time zone."""
        if isinstance(self.due, datetime):
            return self.due
        return datetime.combine(self.due, time(23, 59), tzinfo=now.tzinfo)

    def is_overdue(self, now: datetime) -> bool:
        return self.moment(now) < now


def open_deadlines(
    case_ids: Iterable[int], rows: CaseRows, plan_rules: Iterable[DeadlineRule], now: datetime
) -> dict[int, list[OpenDeadline]]:
    """Per case pk in `case_ids`: its open deadlines, soonest first (ties by kind, then the
    measure's name). `plan_rules`: the "child_plan" rules (§ 91's 3 months); `now`: an aware
    datetime in the municipality's time zone (a date deadline ends at 23:59 of its day)."""
    today = now.date()
    rules = list(plan_rules)
    out: dict[int, list[OpenDeadline]] = {pk: [] for pk in case_ids}

    def add(found: OpenDeadline) -> None:
        if found.case in out:
            out[found.case].append(found)

    for n in rows.notifications:
        if not n.assessed:
            add(OpenDeadline(n.case, Kind.ASSESSMENT, n.due))
    for i in rows.investigations:
        if i.tier != INVESTIGATION_TIER or i.deadline is None or i.completed_on is not None:
            continue
        add(OpenDeadline(i.case, Kind.INVESTIGATION, i.deadline))
        clock = InvestigationClock(
            i.aware_on or i.deadline, i.deadline, i.completed_on, i.preliminary_on
        )
        if clock.preliminary_due(today):
            add(OpenDeadline(i.case, Kind.PRELIMINARY, i.deadline))
    for m in rows.measures:
        if m.needs_plan and m.case not in rows.plans_made:
            start = datetime.combine(m.start_on, time(12))
            try:
                later = deadline(rules, "child_plan", start).date()
            except NoRuleInForce:
                later = None
            if later is not None:
                due = plan_due(m.start_on, later, without_consent=m.without_consent)
                add(OpenDeadline(m.case, Kind.PLAN, due, m.name, m.episode))
        if m.institution and not m.has_exit_plan:
            add(OpenDeadline(m.case, Kind.EXIT_PLAN, m.start_on, m.name, m.episode))
        elif m.institution and m.planned_discharge_on and m.planned_discharge_on >= today:
            add(OpenDeadline(m.case, Kind.DISCHARGE, m.planned_discharge_on, m.name, m.episode))
    for f in rows.follow_ups:
        add(OpenDeadline(f.case, Kind.FOLLOW_UP, f.due, f.name, f.episode))
    order = list(Kind)
    for found in out.values():
        found.sort(key=lambda d: (d.moment(now), order.index(d.kind), d.subject))
    return out


def next_deadline(found: list[OpenDeadline]) -> OpenDeadline | None:
    """The soonest of a case's open deadlines (the list as `open_deadlines()` sorts it)."""
    return found[0] if found else None
