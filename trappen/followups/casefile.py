"""The follow-ups on the case page: their panel (what is due per measure, exceptions, the
latest follow-ups) and each follow-up on the timeline."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import Panel, TimelineEvent, day_end
from trappen.cases.models import Case
from trappen.catalogue.models import CadenceCategory
from trappen.core import goal_attainment

from . import duelist, progress, rhythm_change
from .forms import ExceptionForm
from .schedule import EpisodePlans, Rules


@registry.timeline(order=60)
def events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for f in loaded.follow_ups:
        detail = f.get_form_display()
        if f.child_conversation:
            detail += ", " + _("child conversation")
        yield TimelineEvent(
            day_end(f.held_on),
            _("Follow-up"),
            str(f.episode.intervention),
            f"{detail} · {f.get_plan_review_display()}",
            actor=str(f.recorded_by),
            all_day=True,
        )


@registry.panel(order=40)
def panel(case: Case, user: Any, loaded: Loaded) -> Panel:
    today = timezone.localdate()
    # The case's active measures with a rhythm, from the rows the case page has read (the
    # case came through the policy; `duelist.active_episodes()` reads the same for a list).
    episodes = [
        e
        for e in loaded.active_episodes(today)
        if e.intervention.cadence_category != CadenceCategory.NONE
    ]
    if not policy.may(user, Action.VIEW, case):
        episodes = []
    loaded.with_exceptions_and_reports(episodes)
    # Who approved each exception, in one query for all (none when the case has none).
    prefetch_related_objects([x for e in episodes for x in e.exceptions.all()], "approved_by")
    rules = Rules.load()
    rows = duelist.rows(episodes, today, rules, loaded.follow_ups_by_episode)
    # Each row with its exceptions and what each changed in the model's rhythm.
    exceptions = [
        (
            r,
            rhythm_change.of_exceptions(
                r.plans, today, rules, list(loaded.follow_ups_by_episode.get(r.episode.pk, ()))
            )
            if isinstance(r.plans, EpisodePlans)
            else [],
        )
        for r in rows
    ]
    return Panel(
        "followups/panels/case.html",
        {
            "case": case,
            "rows": rows,
            "exceptions": exceptions,
            "may_edit": policy.may(user, Action.EDIT, case),
            "is_leader": policy.may(user, Action.APPROVE_EXCEPTION, case),
            "exception_form": ExceptionForm(),
            "recent": loaded.follow_ups[:5],
        },
    )


@registry.panel(order=45)
def progress_panel(case: Case, user: Any) -> Panel | None:
    """Goals over time and the child's own rating over time, from one query of the case's
    follow-ups with their goal ratings."""
    rows = case.follow_ups.values_list(
        "held_on",
        "child_rating",
        "goal_ratings__rating",
        "goal_ratings__goal_id",
        "goal_ratings__goal__origin_id",
        "goal_ratings__goal__goal",
    ).order_by("held_on", "pk", "goal_ratings__goal_id")
    child: dict[date, int] = {}
    goals: dict[int, list[tuple[date, int]]] = defaultdict(list)
    labels: dict[int, str] = {}
    for held_on, child_rating, rating, goal_id, origin_id, text in rows:
        if child_rating is not None:
            child[held_on] = child_rating
        if goal_id is not None:
            line = origin_id or goal_id
            goals[line].append((held_on, rating))
            labels[line] = text  # the newest wording of the goal
    if not child and not goals:
        return None
    scales = goal_attainment.scales()
    low, high = scales.goal.values[0], scales.goal.values[-1]
    goal_chart = progress.chart(
        [(line, labels[line], values) for line, values in goals.items()],
        low,
        high,
        zero=scales.goal.expected,
    )
    child_chart = progress.chart(
        [(0, scales.child.name, child.items())],
        scales.child.low,
        scales.child.high,
        y_labels=sorted(
            {scales.child.low, (scales.child.low + scales.child.high) // 2, scales.child.high}
        ),
    )
    return Panel(
        "followups/panels/progress.html",
        {"goal_chart": goal_chart, "child_chart": child_chart, "scales": scales},
    )
