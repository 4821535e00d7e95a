from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.core.staircase import PlacementType


class Step(models.Model):
    """A stair of the intervention staircase (0 universal … 5 institution)."""

    number = models.PositiveSmallIntegerField(_("step"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__lte=5), name="step_number_0_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


PLACEMENT_TYPE_CHOICES = [
    (PlacementType.RESIDENTIAL_INSTITUTION.value, _("Residential institution")),
    (PlacementType.SOCIO_PEDAGOGICAL.value, _("Socio-pedagogical residence")),
    (PlacementType.SECURE_INSTITUTION.value, _("Secure institution")),
    (PlacementType.FOSTER_ORDINARY.value, _("Ordinary foster family")),
    (PlacementType.FOSTER_NETWORK.value, _("Network or kinship foster family")),
    (PlacementType.FOSTER_SPECIAL.value, _("Special foster family")),
    (PlacementType.HOME_BASED.value, _("Home-based placement")),
]


class Intervention(models.Model):
    """An offer in the catalogue (tilbudsviften), placed on one step of the staircase."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    step = models.ForeignKey(Step, on_delete=models.PROTECT, verbose_name=_("step"))
    placement_type = models.CharField(
        _("placement type"), max_length=30, choices=PLACEMENT_TYPE_CHOICES, blank=True
    )
    is_aftercare = models.BooleanField(_("aftercare (18-22 years)"), default=False)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["step", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_placement(self) -> bool:
        return bool(self.placement_type)
