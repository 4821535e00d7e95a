from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case


class ActionPlan(models.Model):
    """A handleplan. Every change is a new revision; old revisions are kept as they were."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")

    def current(self) -> "ActionPlanRevision | None":
        return self.revisions.order_by("-number").first()


class ActionPlanRevision(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    purpose = models.TextField(_("purpose of the support"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_revision_number")
        ]


class Goal(models.Model):
    """A SMART goal: what, who works on it, how progress is seen, by when."""

    revision = models.ForeignKey(ActionPlanRevision, on_delete=models.CASCADE, related_name="goals")
    goal = models.TextField(_("goal"))
    who = models.CharField(_("who works on it"), max_length=200)
    progress_sign = models.TextField(_("how progress is seen"))
    due_on = models.DateField(_("by when"))

    class Meta:
        ordering = ["id"]
