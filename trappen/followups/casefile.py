"""The follow-ups on the case page: their panel (what is due per measure, exceptions, the
latest follow-ups) and each follow-up on the timeline."""

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.casefile import registry
from trappen.casefile.registry import Panel, TimelineEvent, day_end
from trappen.cases.models import Case

from . import duelist
from .forms import ExceptionForm
from .schedule import Rules


@registry.timeline(order=60)
def events(case: Case) -> Iterator[TimelineEvent]:
    for f in case.follow_ups.select_related("episode__intervention", "recorded_by"):
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
def panel(case: Case, user: Any) -> Panel:
    today = timezone.localdate()
    episodes = duelist.active_episodes(policy.visible_cases(user).filter(pk=case.pk), today)
    return Panel(
        "followups/panels/case.html",
        {
            "case": case,
            "rows": duelist.rows(episodes, today, Rules.load()),
            "may_edit": policy.may(user, Action.EDIT, case),
            "is_leader": policy.may(user, Action.APPROVE_EXCEPTION, case),
            "exception_form": ExceptionForm(),
            "recent": case.follow_ups.select_related("episode__intervention")[:5],
        },
    )
