"""The demo's quality data (F8 point 8): complaints of both kinds with their outcomes, and a
handover inside the demo team during a caseworker's sick leave.

- complaints: about the case handling (partly upheld; one still open) and about a decision
  (reassessed: upheld in full, or the decision upheld and sent to Ankestyrelsen), on open
  cases of the live teams, through the service that checks them (core/data/quality.json);
- the handover: the demo team leader moves three cases of one caseworker (sick leave) to the
  caseworker of the team with the fewest open cases, with a handover note; the new caseworker
  is notified, and the team page counts the changes of caseworker.

Its own random stream (per seed); querysets in pk order, so a seed gives the same data.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from trappen.cases import services
from trappen.cases.caseload import caseloads
from trappen.cases.models import Case, Complaint, Handover, Transfer
from trappen.organisation.models import Profession, User

HANDOVER_NOTE = (
    "Sygemelding fra i dag, forventet 6 uger. Mor foretrækker opkald efter kl. 14. "
    "Opfølgning på aflastningen er aftalt til næste måned; skolen sender fraværsoversigt."
)


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 61 + 17)
    complaints = _complaints(rng, today)
    moved = _handover(today)
    log(f"Quality: {complaints} complaints (both kinds, with outcomes), {moved} cases handed over")


def _complaints(rng: random.Random, today: date) -> int:
    cases = list(
        Case.objects.exclude(status=Case.Status.CLOSED)
        .filter(opened_on__lte=today - timedelta(days=60))
        .select_related("child", "team", "caseworker")
        .order_by("pk")[:400]
    )
    if len(cases) < 4:
        return 0
    chosen = rng.sample(cases, 6)
    plans = [
        (Complaint.Kind.HANDLING, "", Complaint.Complainant.PARENT, "partly_upheld", 40),
        (Complaint.Kind.HANDLING, "", Complaint.Complainant.CHILD, "", 6),
        (Complaint.Kind.HANDLING, "", Complaint.Complainant.OTHER, "not_upheld", 55),
        (
            Complaint.Kind.DECISION,
            "Afgørelse om anbringelse uden for hjemmet",
            Complaint.Complainant.PARENT,
            "sent_to_ankestyrelsen",
            35,
        ),
        (
            Complaint.Kind.DECISION,
            "Afslag på aflastning",
            Complaint.Complainant.PARENT,
            "upheld",
            30,
        ),
        (Complaint.Kind.DECISION, "Afgørelse om samvær", Complaint.Complainant.CHILD, "", 4),
    ]
    for case, (kind, decision, who, outcome, ago) in zip(chosen, plans, strict=False):
        received = today - timedelta(days=ago)
        decided = received + timedelta(days=min(21, ago - 1)) if outcome else None
        services.register_complaint(
            case,
            received_on=received,
            kind=kind,
            complainant=who,
            decision=f"{decision} {(received - timedelta(days=10)).strftime('%d.%m.%Y')}"
            if decision
            else "",
            outcome=outcome,
            outcome_on=decided,
            note="",
            by=case.caseworker,
        )
    return len(chosen)


LOGIN = "sagsbehandler"  # the demo's caseworker login (generator.build's logins)


def _handover(today: date) -> int:
    """The demo team leader's team (the login "teamleder"; else the first leader's): the
    caseworker with the fullest caseload is on sick leave, and three of their cases go to the
    colleague with the fewest, or to a substitute (vikar) when the team has no other."""
    leader = (
        User.objects.filter(profession=Profession.TEAM_LEADER, team__isnull=False, is_active=True)
        .select_related("team")
        .filter(username="teamleder")
        .first()
    ) or (
        User.objects.filter(profession=Profession.TEAM_LEADER, team__isnull=False, is_active=True)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    if leader is None or leader.team is None:
        return 0
    team = leader.team
    loads = caseloads(team)
    if not loads:
        return 0
    # The demo's own caseworker login keeps its cases where the team has anyone else.
    ill = max(loads, key=lambda w: (w.username != LOGIN, loads[w], -w.pk))
    others = [w for w in loads if w != ill]
    if others:
        taker = min(others, key=lambda w: (loads[w], w.pk))
    else:
        taker = User.objects.create(
            username="vikar",
            first_name="Vera",
            last_name="Vikar",
            profession=Profession.CASEWORKER,
            team=team,
            password=leader.password,  # the demo's one password
        )
    pending = Transfer.objects.filter(completed_at__isnull=True).values("case_id")
    chosen = (
        Case.objects.filter(team=team, caseworker=ill)
        .exclude(status=Case.Status.CLOSED)
        .exclude(pk__in=pending)
    )
    cases = list(chosen.order_by("pk"))
    if ill.username == LOGIN:  # alone in the team: it keeps its first case (the access-report
        # hint) and its first with a measure running (the journeys try things on it)
        running = chosen.filter(episodes__end_on__isnull=True).order_by("pk").first()
        keep = {c.pk for c in (cases[:1] + ([running] if running else []))}
        cases = [c for c in cases if c.pk not in keep]
    cases = cases[:3]
    if not cases:
        return 0
    services.hand_over(
        cases,
        team=team,
        from_caseworker=ill,
        to_caseworker=taker,
        reason=Handover.Reason.SICK_LEAVE,
        note=HANDOVER_NOTE,
        handover_on=today,
        by=leader,
    )
    return len(cases)
