"""The demo's duties of Barnets Lov (F8), laid over the live demo after its follow-ups.

- Investigations count their 4 months from the first notification about the child (§ 20,
  stk. 3); those not done in time get a foreløbig vurdering, except a few recent ones, which
  the case page shows red. Cases with early support get an afdækning (§ 19) before it.
- Measures carry the decision's content: purpose and expected duration (§ 32, stk. 3), with or
  without consent (§§ 46/47), the reason for a placement (lack of care or abuse opens the
  siblings' task, § 21, stk. 2), the hearing of the child (§ 5).
- The first follow-up of a measure under Barnets Lov records the rhythm decided (§ 95, stk. 3);
  follow-up meetings of placements are supervision visits at the placement (§ 156, stk. 5);
  the family centre sends its 8-month status report.
- Notifications in a supported case are reassessed by a colleague not involved (§ 137, stk. 1);
  professional notifiers get their receipt, a few late.

Its own random stream (per seed), so the rest of the demo draws the same numbers as before.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone

from trappen.core.deadlines import NoRuleInForce, add_working_days
from trappen.followups.models import FollowUp, ProviderReport
from trappen.intake import law as intake_law
from trappen.intake.models import Notification
from trappen.investigations.models import ChildInvestigation, SiblingInvestigationTask, Tier
from trappen.measures.models import SIBLING_REASONS, SUPPORT_CONCEPTS, Episode
from trappen.organisation.models import Profession, User
from trappen.rules.models import date_deadline_for

BARNETS_LOV = date(2024, 1, 1)
PURPOSES = [
    "At barnet kommer i skole hver dag og har ro hjemme.",
    "At familien får hverdagen til at fungere, og at barnet trives i klassen.",
    "At den unge får en voksen at støtte sig til og kommer i gang med uddannelse.",
]
RHYTHMS = [
    ("3m", "Hver tredje måned passer til forløbet; vi ses oftere efter modellen."),
    ("2m", "Tæt opfølgning i starten, fordi situationen er skrøbelig."),
    ("4m", "Forløbet er stabilt; barnet ønsker ikke flere møder."),
]
WISHES = [
    "Barnet vil gerne mødes på skolen og ikke hjemme.",
    "Den unge ønsker at kontaktpersonen er med.",
    "Barnet ønsker korte møder efter skoletid.",
]
PRELIMINARY = (
    "Foreløbig vurdering: barnets skolegang er stabil; forholdene i hjemmet er endnu ikke afklaret."
)


def build(*, seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(seed * 53 + 11)
    counts = {
        **_investigations(rng, today),
        **_decisions(rng, today),
        **_follow_ups(rng, today),
        **_notifications(rng, today),
    }
    log("  Barnets Lov: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def _investigations(rng: random.Random, today: date) -> dict[str, int]:
    first: dict[int, date] = {
        row["child"]: timezone.localdate(row["first"])
        for row in Notification.objects.values("child").annotate(first=Min("received_at"))
    }
    changed, preliminary, afdaekning = [], 0, []
    for inv in (
        ChildInvestigation.objects.filter(tier=Tier.INVESTIGATION)
        .select_related("case")
        .order_by("pk")
    ):
        aware = min(first.get(inv.case.child_id, inv.case.opened_on), inv.started_on)
        try:
            inv.aware_on, inv.deadline = aware, date_deadline_for("child_investigation", aware)
        except NoRuleInForce:
            continue
        late = (inv.completed_on or today) > inv.deadline
        recent = inv.completed_on is None and (today - inv.deadline).days < 40
        if late and not (recent and rng.random() < 0.6):
            inv.preliminary_on = min(inv.deadline + timedelta(days=rng.randint(0, 10)), today)
            inv.preliminary_assessment = PRELIMINARY
            preliminary += 1
        changed.append(inv)
        # A supported case began with an afdækning (§ 19) before the investigation.
        begun = max(aware, inv.case.opened_on)
        if inv.case.early_steps.exists() and rng.random() < 0.35 and inv.started_on > begun:
            done = begun + timedelta(days=rng.randint(7, max(8, (inv.started_on - begun).days)))
            afdaekning.append(
                ChildInvestigation(
                    case=inv.case,
                    tier=Tier.AFDAEKNING,
                    started_on=begun,
                    completed_on=min(done, inv.started_on),
                    conclusion="Afdækningen viste behov for en børnefaglig undersøgelse.",
                    started_by=inv.started_by,
                )
            )
    ChildInvestigation.objects.bulk_update(
        changed,
        ["aware_on", "deadline", "preliminary_on", "preliminary_assessment"],
        batch_size=1000,
    )
    ChildInvestigation.objects.bulk_create(afdaekning)
    return {"afdækninger": len(afdaekning), "foreløbige vurderinger": preliminary}


def _decisions(rng: random.Random, today: date) -> dict[str, int]:
    episodes = list(Episode.objects.select_related("intervention", "case").order_by("pk"))
    tasks = []
    for e in episodes:
        if e.intervention.legal_concept in SUPPORT_CONCEPTS:
            e.purpose = rng.choice(PURPOSES)
            e.expected_end_on = e.end_on or e.start_on + timedelta(days=rng.choice([180, 270, 365]))
        if e.intervention.placement_type:
            e.consent = "with" if rng.random() < 0.9 else "without"
            e.placement_reason = rng.choice(["lack_of_care", "child", "child", "abuse", "other"])
            if e.placement_reason in SIBLING_REASONS and e.start_on >= BARNETS_LOV:
                closed = e.start_on + timedelta(days=rng.randint(10, 60))
                tasks.append(
                    SiblingInvestigationTask(
                        case=e.case,
                        episode=e,
                        opened_on=e.start_on,
                        closed_on=closed if closed < today - timedelta(days=20) else None,
                        outcome="no_siblings" if closed < today - timedelta(days=20) else "",
                    )
                )
        e.child_heard = "heard" if rng.random() < 0.93 else ""
    Episode.objects.bulk_update(
        episodes,
        ["purpose", "expected_end_on", "consent", "placement_reason", "child_heard"],
        batch_size=1000,
    )
    SiblingInvestigationTask.objects.bulk_create(tasks)
    return {"søskendeopgaver": len(tasks)}


def _follow_ups(rng: random.Random, today: date) -> dict[str, int]:
    by_episode: dict[int, list[FollowUp]] = defaultdict(list)
    for f in FollowUp.objects.select_related("episode__intervention").order_by("held_on", "pk"):
        by_episode[f.episode_id].append(f)
    changed: list[FollowUp] = []
    reports: list[ProviderReport] = []
    for held in by_episode.values():
        episode = held[0].episode
        if (
            episode.start_on >= BARNETS_LOV
            and episode.intervention.legal_concept != "early_prevention"
        ):
            first = held[0]
            first.rhythm, first.rhythm_justification = rng.choice(RHYTHMS)
            first.child_wishes = rng.choice(WISHES)
            changed.append(first)
        if episode.intervention.placement_type:
            for f in held:
                if f.form == FollowUp.Form.MEETING and f.child_conversation and rng.random() < 0.5:
                    f.at_placement = True
                    f.staff_present = "without" if rng.random() < 0.85 else "with"
                    changed.append(f)
        if episode.intervention.cadence_category == "family_centre":
            eight = episode.start_on + timedelta(days=243)
            if eight <= min(episode.end_on or today, today) and rng.random() < 0.8:
                reports.append(
                    ProviderReport(
                        episode=episode,
                        received_on=eight - timedelta(days=rng.randint(0, 10)),
                        note="Status fra familiecenteret: familien bruger redskaberne hjemme.",
                        recorded_by=held[0].recorded_by,
                    )
                )
    FollowUp.objects.bulk_update(
        changed,
        ["rhythm", "rhythm_justification", "child_wishes", "at_placement", "staff_present"],
        batch_size=1000,
    )
    ProviderReport.objects.bulk_create(reports)
    return {
        "rytmebeslutninger": sum(bool(f.rhythm) for f in changed),
        "statusrapporter": len(reports),
    }


def _later_notifications(rng: random.Random, today: date) -> int:
    """New notifications in cases that already have support: the genvurdering's occasion."""
    supported = (
        Episode.objects.filter(intervention__legal_concept__in=SUPPORT_CONCEPTS, end_on=None)
        .exclude(case__status="closed")
        .select_related("case__caseworker", "child")
        .order_by("pk")
    )
    made = []
    for i, e in enumerate(supported):
        if rng.random() > 0.12 and i >= 3:
            continue
        span = (today - e.start_on).days
        if span < 3:
            continue
        received = timezone.make_aware(
            datetime.combine(e.start_on + timedelta(days=rng.randint(1, span - 1)), time(10, 30))
        )
        made.append(
            Notification(
                child=e.child,
                case=e.case,
                received_at=received,
                source=rng.choice(["school", "day_care", "health_visitor", "parent"]),
                content="Ny bekymring: barnet er kommet for sent i skole flere dage i træk.",
                registered_by=e.case.caseworker,
                assessment_deadline=received + timedelta(hours=24),
                assessed_by=e.case.caseworker,
                assessed_at=received + timedelta(hours=3),
                urgent_action=False,
                assessment_note="Ingen akut fare; drøftes ved næste opfølgning.",
            )
        )
    Notification.objects.bulk_create(made)
    return len(made)


def _notifications(rng: random.Random, today: date) -> dict[str, int]:
    later = _later_notifications(rng, today)
    workers: dict[int | None, list[User]] = defaultdict(list)
    staff = User.objects.filter(
        profession__in=[Profession.CASEWORKER, Profession.TEAM_LEADER], is_active=True
    )
    for u in staff.order_by("pk"):
        workers[u.team_id].append(u)
    changed: list[Notification] = []
    reassessed = receipts = 0
    for n in Notification.objects.select_related("case").order_by("received_at"):
        received = timezone.localdate(n.received_at)
        touched = False
        if n.case is not None and intake_law.needs_genvurdering(n):
            involved = intake_law.involved_in_case(n)
            others = [u for u in workers.get(n.case.team_id, []) if u.pk not in involved]
            if others and not ((today - received).days < 30 and rng.random() < 0.5):
                n.reassessed_by = rng.choice(others)
                n.reassessed_at = n.assessed_at or n.received_at + timedelta(hours=20)
                n.reassessment_note = (
                    "Genvurderet: indsatsen fortsætter; underretningen drøftes med familien."
                )
                reassessed += 1
                touched = True
        if (
            n.from_professional
            and n.registered_by_id
            and ((today - received).days > 2 or rng.random() < 0.5)
        ):
            lag = rng.randint(1, 5) if rng.random() < 0.92 else rng.randint(7, 12)
            sent = add_working_days(received, lag)
            if sent <= today:
                n.receipt_sent_on, n.receipt_sent_by_id = sent, n.registered_by_id
                receipts += 1
                touched = True
        if touched:
            changed.append(n)
    Notification.objects.bulk_update(
        changed,
        [
            "reassessed_by",
            "reassessed_at",
            "reassessment_note",
            "receipt_sent_on",
            "receipt_sent_by",
        ],
        batch_size=1000,
    )
    return {
        "underretninger under støtte": later,
        "genvurderinger": reassessed,
        "kvitteringer": receipts,
    }
