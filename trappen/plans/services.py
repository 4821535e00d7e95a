from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from trappen.cases.models import Case
from trappen.core import ics
from trappen.organisation.models import User

from .models import SDQ_SUBSCALES, ActionPlan, ActionPlanRevision, Goal


class RevisionConflict(Exception):
    """Another revision was saved after the one the editor started from (no lost updates)."""

    def __init__(self, current: ActionPlanRevision) -> None:
        super().__init__(f"revision {current.number} was saved meanwhile")
        self.current = current


@transaction.atomic
def revise(
    case: Case,
    *,
    purpose: str,
    goals: list[dict[str, Any]],
    by: User,
    based_on: int | None = None,
) -> ActionPlanRevision:
    """Save a new revision with all its goals; earlier revisions stay as they were.

    `based_on` is the number of the revision the editor saw (0: none). When another revision
    was saved since, nothing is saved and RevisionConflict names the current one.
    """
    plan, _created = ActionPlan.objects.select_for_update().get_or_create(case=case)
    last = plan.revisions.aggregate(n=Max("number"))["n"] or 0
    # A form claiming a revision when there is none has nothing to conflict with.
    if based_on is not None and based_on != last and last:
        raise RevisionConflict(plan.revisions.get(number=last))
    revision = ActionPlanRevision.objects.create(
        plan=plan, number=last + 1, purpose=purpose, author=by
    )
    known = {a.key for f in ics.catalogue().frameworks for a in f.areas}
    lines = dict(
        Goal.objects.filter(revision__plan=plan).values_list("pk", "origin_id")
    )  # the plan's goals so far → their line's first goal
    made = []
    for raw in goals:
        goal = dict(raw)
        carried = goal.pop("carried", None)
        areas = list(goal.pop("areas", None) or [])
        unknown = sorted(set(areas) - known)
        if unknown:
            raise ValidationError(_("Unknown area: %(key)s.") % {"key": ", ".join(unknown)})
        subscale = goal.pop("sdq_subscale", "") or ""
        if subscale and subscale not in dict(SDQ_SUBSCALES):
            raise ValidationError(_("Unknown SDQ subscale: %(name)s.") % {"name": subscale})
        # A goal carried from an earlier revision of this plan continues its line; an id from
        # another plan is ignored (a new line), never linked.
        origin = None
        if carried in lines:
            origin = lines[carried] or carried
        made.append(
            Goal(revision=revision, areas=areas, sdq_subscale=subscale, origin_id=origin, **goal)
        )
    Goal.objects.bulk_create(made)
    return revision
