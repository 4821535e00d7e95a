from typing import Any

from django.db import transaction
from django.db.models import Max

from trappen.cases.models import Case
from trappen.organisation.models import User

from .models import ActionPlan, ActionPlanRevision, Goal


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
    plan, _ = ActionPlan.objects.select_for_update().get_or_create(case=case)
    last = plan.revisions.aggregate(n=Max("number"))["n"] or 0
    # A form claiming a revision when there is none has nothing to conflict with.
    if based_on is not None and based_on != last and last:
        raise RevisionConflict(plan.revisions.get(number=last))
    revision = ActionPlanRevision.objects.create(
        plan=plan, number=last + 1, purpose=purpose, author=by
    )
    Goal.objects.bulk_create(Goal(revision=revision, **goal) for goal in goals)
    return revision
