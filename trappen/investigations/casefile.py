"""The child investigations on the case page: their panel (the steps and their clock) and
their start and completion on the timeline."""

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import Panel, TimelineEvent, day_end
from trappen.cases.models import Case

from . import services
from .models import AreaAssessment, ChildInvestigation, Tier


def _kind(inv: ChildInvestigation) -> str:
    # The timeline's short word for each tier; the panel gives the paragraph.
    return {
        Tier.SCREENING: _("Screening"),
        Tier.AFDAEKNING: _("Clarification (afdækning)"),
    }.get(Tier(inv.tier), _("Child investigation"))


def _investigations(case: Case) -> list[ChildInvestigation]:
    # Read once for the panel and the timeline (prefetch_related keeps them on the case).
    return list(case.investigations.all())


@registry.timeline(order=30)
def events(case: Case) -> Iterator[TimelineEvent]:
    for inv in _investigations(case):
        url = reverse("investigations:investigation", args=[inv.pk])
        yield TimelineEvent(
            day_end(inv.started_on), _kind(inv), _("Started"), url=url, all_day=True
        )
        if inv.completed_on:
            yield TimelineEvent(
                day_end(inv.completed_on),
                _kind(inv),
                _("Completed"),
                inv.conclusion,
                url=url,
                all_day=True,
            )


@registry.panel(order=20)
def panel(case: Case, user: Any, loaded: Loaded) -> Panel:
    today = timezone.localdate()
    steps = _investigations(case)
    # The profile of the latest child investigation (§ 22): one query for its ratings.
    latest = next((s for s in steps if s.tier == Tier.INVESTIGATION), None)
    # (none when the case has no assessment at all, casefile.loaded.Loaded.present)
    rated = (
        list(AreaAssessment.objects.filter(investigation=latest))
        if latest and loaded.present["areas"]
        else []
    )
    return Panel(
        "investigations/panels/case.html",
        {
            "steps": [(s, s.preliminary_due(today)) for s in steps],
            "profiled": latest if rated else None,
            "profile": services.profile_of(latest, rated) if latest and rated else (),
        },
    )
