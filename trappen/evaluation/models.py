from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationSlot(models.Model):
    """One of the few evaluations that may run at once, across every worker process.

    A worker takes a free slot (no lease, or a lease run out) with one conditional UPDATE, so two
    workers never hold the same slot; it gives the slot back when its evaluation ends, and a slot
    a crashed worker held frees itself when its lease runs out (trappen/evaluation/limits.py).
    """

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    token = models.CharField(_("holder"), max_length=32, blank=True)
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation slot")
        verbose_name_plural = _("evaluation slots")

    def __str__(self) -> str:
        return f"{self.number}: {self.token or '-'}"
