from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case
from trappen.core.sdq import SUBSCALES

# The subscales' names as in trappen.core.sdq; the labels are the Danish SDQ's.
SDQ_SUBSCALE_LABELS = {
    "emotional": _("Emotional symptoms"),
    "conduct": _("Conduct problems"),
    "hyperactivity": _("Hyperactivity/inattention"),
    "peer": _("Peer relationship problems"),
    "prosocial": _("Prosocial behaviour"),
}
SDQ_SUBSCALES = [(str(s), SDQ_SUBSCALE_LABELS[str(s)]) for s in SUBSCALES]


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
    # The areas of the structured investigation the goal answers (keys of the areas in
    # trappen/core/data/ics_areas.json; Barnets Lov § 92, stk. 2: the plan builds on the
    # investigation) and, optionally, the SDQ subscale it should move (trappen.core.sdq).
    areas = models.JSONField(_("areas of the investigation"), default=list, blank=True)
    sdq_subscale = models.CharField(
        _("SDQ subscale"), max_length=30, choices=SDQ_SUBSCALES, blank=True
    )
    # The same goal through the plan's revisions: the goal of the first revision it was in
    # (None: this is that goal). Its ratings at the follow-ups are plotted as one line.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    @property
    def line(self) -> int:
        """The pk shared by this goal and its versions in later revisions."""
        return self.origin_id or self.pk

    @property
    def is_past_due(self) -> bool:
        """Has the goal's date passed (F10 point 5: marked on the plan)?"""
        return self.due_on < timezone.localdate()
