"""The programme's targets as a board for a user (F13 point 5): on the steering page
(`target_board`, composed by its view) and on a leader's or analyst's home page (F10 point 4,
`home_board`): the last twelve months against the twelve before, per district group, with the
trend over the four half-years; through the steering's shared cache like the steering page
(`trappen daily` warms `home_query`). Aggregates only (counts and shares), never a case."""

from datetime import date
from typing import Any

from django.utils import timezone

from trappen.access import policy
from trappen.evaluation import limits, targets
from trappen.evaluation.figures import Figures, Query
from trappen.evaluation.targets import Board, home_periods
from trappen.followups.ontime import on_time


def target_board(user: Any, figures: Figures) -> targets.Board:
    """The programme's targets read in the period (against the comparison period, and over
    time from the figures' trend); follow-ups on time as the due lists stood at the end of
    each (kept with the figures), today's due lists for a period that reaches today."""
    today = timezone.localdate()
    total, by_group = None, None
    if figures.after.period.end >= today and figures.query.group_by == "group":
        total, by_group = on_time(policy.aggregate_open_cases(user), today)
    return targets.board(
        figures.after,
        figures.before,
        wellbeing=figures.wellbeing,
        trend=figures.trend,
        followups_on_time=total,
        followups_by_group=by_group,
        followups_history=figures.followups,
    )


def home_query(today: date) -> Query:
    """By district group, with the trend (the half-years of both periods)."""
    now, before = home_periods(today)
    return Query(now, before=before, group_by="group", trend=True)


def home_board(user: Any) -> Board | None:
    """The targets for `user`'s home; None for a user who may not see the steering;
    `limits.Busy` when every evaluation slot is taken."""
    if not policy.may_view_steering(user):
        return None
    return target_board(user, limits.figures_for(home_query(timezone.localdate())))
