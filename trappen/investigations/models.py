from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case


class ChildInvestigation(models.Model):
    """A børnefaglig undersøgelse (SEL § 50 / Barnets Lov § 20)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    started_on = models.DateField(_("started"))
    deadline = models.DateField(_("deadline"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("child investigation")
        verbose_name_plural = _("child investigations")
        ordering = ["-started_on"]

    @property
    def is_open(self) -> bool:
        return self.completed_on is None


class NetworkMapEntry(models.Model):
    """One person on the network map (netværkskort), made with parents and child."""

    class Kind(models.TextChoices):
        RESOURCE = "resource", _("Resource")
        CONCERN = "concern", _("Concern")

    investigation = models.ForeignKey(
        ChildInvestigation, on_delete=models.CASCADE, related_name="network"
    )
    person = models.CharField(_("person"), max_length=200)
    relation = models.CharField(_("relation to the child"), max_length=100)
    kind = models.CharField(_("resource or concern"), max_length=10, choices=Kind.choices)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("network map entry")
        verbose_name_plural = _("network map")
        ordering = ["id"]
