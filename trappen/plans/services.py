from typing import Any

from django.db import transaction
from django.db.models import Max

from trappen.cases.models import Case
from trappen.organisation.models import User

from .models import ActionPlan, ActionPlanRevision, Goal


@transaction.atomic
def revise(
    case: Case, *, purpose: str, goals: list[dict[str, Any]], by: User
) -> ActionPlanRevision:
    """Save a new revision with all its goals; earlier revisions stay as they were."""
    plan, _ = ActionPlan.objects.select_for_update().get_or_create(case=case)
    last = plan.revisions.aggregate(n=Max("number"))["n"] or 0
    revision = ActionPlanRevision.objects.create(
        plan=plan, number=last + 1, purpose=purpose, author=by
    )
    Goal.objects.bulk_create(Goal(revision=revision, **goal) for goal in goals)
    return revision
