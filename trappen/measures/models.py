from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, Child
from trappen.catalogue.models import Intervention


class Episode(models.Model):
    """One child's stay on one intervention, from start to end."""

    class EndReason(models.TextChoices):
        PLANNED = "planned", _("Planned end")
        BREAKDOWN = "breakdown", _("Breakdown")
        AFTERCARE_18 = "aftercare_18", _("Turned 18 / aftercare")
        MOVED = "moved", _("Moved")
        OTHER = "other", _("Other")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="episodes")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, verbose_name=_("intervention")
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    daily_cost = models.DecimalField(_("daily cost (kr.)"), max_digits=9, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(daily_cost__gte=0), name="episode_cost_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["child", "end_on"])]

    def __str__(self) -> str:
        return f"{self.intervention} ({self.start_on:%d.%m.%Y})"

    @property
    def step(self) -> int:
        return self.intervention.step_id  # type: ignore[no-any-return]
