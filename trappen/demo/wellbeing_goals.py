"""The demo's structured investigations, goals linked to the areas and their ratings at the
follow-ups (F9 points 3-4), laid over the live demo after its follow-ups and the law's duties.

- Every child investigation (§ 20) rates most of the ICS triangle's areas with a short note
  (§ 22, stk. 1): a few concerns where the case is about, resources around them.
- Every goal of the action plans links to one or two areas (the investigation's concerns
  first) and, for some, an SDQ subscale; a goal of a later revision continues the line of the
  goal in the same place of the first revision.
- Every follow-up that reviewed a plan rates each goal of that revision (−2 … +2), drifting
  upwards over the months with noise; a follow-up with a child conversation has the child's own
  1-10 most of the time.

Its own random stream (per seed), rows walked in pk order: the same seed gives the same
municipality on SQLite and PostgreSQL.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from trappen.core import goal_attainment, ics
from trappen.followups.models import FollowUp, GoalRating
from trappen.investigations.models import AreaAssessment, ChildInvestigation, Tier
from trappen.plans.models import ActionPlanRevision, Goal

CONCERN_NOTES = {
    "health": "Hyppige lægebesøg; søvnen er urolig.",
    "development": "Voldsomme konflikter og svært ved at falde til ro.",
    "school": "Højt fravær og svært ved at følge med i dansk.",
    "leisure": "Går ikke til noget og har få venner uden for skolen.",
    "safe_care": "Mor er presset og overser ofte barnets signaler.",
    "stimulation": "Få faste rammer og aftaler om lektier og sengetid.",
    "relations": "Samværet med far er brudt op flere gange.",
    "family_background": "Skilsmisse og flere flytninger de seneste år.",
    "housing_work_income": "Trang bolig; mor er sygemeldt.",
    "network": "Familien har kun lidt kontakt med andre voksne.",
}
RESOURCE_NOTES = {
    "health": "Sund og i god trivsel fysisk.",
    "development": "Nysgerrig og glad for voksenkontakt.",
    "school": "God kontakt til klasselæreren.",
    "leisure": "Spiller fodbold og har en god ven i klubben.",
    "safe_care": "Forældrene er kærlige og tager imod hjælp.",
    "stimulation": "Mor læser højt og følger op på skolen.",
    "relations": "Forældrene støtter kontakten til bedsteforældrene.",
    "family_background": "Stabil familie med gode traditioner.",
    "housing_work_income": "Fast bolig og far i arbejde.",
    "network": "Mormor og en moster hjælper til i hverdagen.",
}
SUBSCALE_OF_AREA = {
    "development": "conduct",
    "school": "hyperactivity",
    "leisure": "peer",
    "health": "emotional",
    "relations": "emotional",
}


def build(seed: int, today: date, log: Callable[[str], None]) -> None:
    rng = random.Random(f"{seed}-wellbeing-goals")
    concerns = _investigations(rng)
    linked = _goals(rng, concerns)
    rated, heard = _ratings(rng)
    log(
        f"F9: {len(concerns)} structured investigations, {linked} goals linked to areas, "
        f"{rated} goal ratings, {heard} child ratings"
    )


def _investigations(rng: random.Random) -> dict[int, list[str]]:
    """Rate the areas of every child investigation; returns each case's concern areas."""
    levels = ics.catalogue().levels
    concerns: dict[int, list[str]] = {}
    rows = []
    investigations = ChildInvestigation.objects.filter(tier=Tier.INVESTIGATION).order_by("pk")
    for inv in investigations.select_related("started_by"):
        framework = ics.catalogue().framework_on(inv.started_on)
        areas = list(framework.areas)
        worried = set(rng.sample([a.key for a in areas], rng.randint(2, 4)))
        mine = concerns.setdefault(inv.case_id, [])
        for area in areas:
            if rng.random() < 0.15:
                continue  # not assessed
            if area.key in worried:
                value = rng.choice((-2, -1, -1))
                note = CONCERN_NOTES.get(area.key, "Bekymring.")
                mine.append(area.key)
            else:
                value = rng.choice((-1, 0, 1, 1, 2))
                note = (
                    CONCERN_NOTES.get(area.key, "Bekymring.")
                    if value < 0
                    else RESOURCE_NOTES.get(area.key, "Ressource.")
                )
            assert value in {lv.value for lv in levels}
            rows.append(
                AreaAssessment(
                    investigation=inv,
                    framework=framework.key,
                    area=area.key,
                    rating=value,
                    note=note,
                    assessed_by=inv.started_by,
                )
            )
    AreaAssessment.objects.bulk_create(rows)
    return concerns


def _goals(rng: random.Random, concerns: dict[int, list[str]]) -> int:
    """Link every goal to areas and some to an SDQ subscale; carry the lines over revisions."""
    all_areas = [a.key for a in ics.catalogue().frameworks[-1].areas]
    goals = list(
        Goal.objects.select_related("revision__plan").order_by(
            "revision__plan_id", "revision__number", "pk"
        )
    )
    first_revision: dict[int, list[Goal]] = {}
    by_revision: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_revision[goal.revision_id].append(goal)
    for goal in goals:
        plan_id = goal.revision.plan_id
        case_concerns = concerns.get(goal.revision.plan.case_id) or []
        pool = case_concerns or all_areas
        goal.areas = sorted(set(rng.sample(pool, min(len(pool), rng.randint(1, 2)))))
        subscales = [SUBSCALE_OF_AREA[a] for a in goal.areas if a in SUBSCALE_OF_AREA]
        goal.sdq_subscale = subscales[0] if subscales and rng.random() < 0.6 else ""
        if plan_id not in first_revision:
            first_revision[plan_id] = by_revision[goal.revision_id]
        elif goal.revision_id != first_revision[plan_id][0].revision_id:
            index = by_revision[goal.revision_id].index(goal)
            firsts = first_revision[plan_id]
            if index < len(firsts):
                first = firsts[index]
                goal.origin_id = first.pk
                goal.areas = first.areas
                goal.sdq_subscale = first.sdq_subscale
    Goal.objects.bulk_update(goals, ["areas", "sdq_subscale", "origin"], batch_size=500)
    return len(goals)


def _ratings(rng: random.Random) -> tuple[int, int]:
    """Each goal of the reviewed revision rated at the follow-up; the child's own rating."""
    scale = goal_attainment.scales()
    low, high = scale.goal.values[0], scale.goal.values[-1]
    child = scale.child
    goals_of: dict[int, list[Goal]] = defaultdict(list)
    for goal in Goal.objects.order_by("pk"):
        goals_of[goal.revision_id].append(goal)
    ratings: list[GoalRating] = []
    heard: list[FollowUp] = []
    starts: dict[int, date] = {}
    # A child's own level, drifting a little up over the follow-ups.
    child_level: dict[int, float] = {}
    # The revision in force on the day of each follow-up (the demo's follow-ups name none).
    revisions: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for rev in ActionPlanRevision.objects.select_related("plan").order_by("created_at", "pk"):
        revisions[rev.plan.case_id].append((timezone.localdate(rev.created_at), rev.pk))
    reviewed: list[FollowUp] = []
    for follow_up in FollowUp.objects.order_by("held_on", "pk"):
        if follow_up.plan_revision_id is None:
            made = [
                pk for day, pk in revisions.get(follow_up.case_id, []) if day <= follow_up.held_on
            ]
            if made:
                follow_up.plan_revision_id = made[-1]
                reviewed.append(follow_up)
        if follow_up.plan_revision_id is None:
            continue
        start = starts.setdefault(follow_up.case_id, follow_up.held_on)
        months = (follow_up.held_on - start).days / 30.4
        for goal in goals_of.get(follow_up.plan_revision_id, []):
            drift = -1.2 + 0.25 * months + rng.gauss(0, 0.8)
            ratings.append(
                GoalRating(
                    follow_up=follow_up,
                    goal=goal,
                    rating=max(low, min(high, round(drift))),
                )
            )
        if follow_up.child_conversation and rng.random() < 0.8:
            level = child_level.get(follow_up.case_id, rng.uniform(3, 6))
            level = min(child.high, level + rng.uniform(-0.5, 1.0))
            child_level[follow_up.case_id] = level
            follow_up.child_rating = max(child.low, min(child.high, round(level)))
            heard.append(follow_up)
    GoalRating.objects.bulk_create(ratings, batch_size=1000)
    FollowUp.objects.bulk_update(reviewed, ["plan_revision"], batch_size=500)
    FollowUp.objects.bulk_update(heard, ["child_rating"], batch_size=500)
    return len(ratings), len(heard)
