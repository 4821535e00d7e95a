from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.core import legal
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


class CadenceCategory(models.TextChoices):
    """Which follow-up rhythm an intervention's episodes get (the rules are data, see followups)."""

    NONE = "none", _("No follow-up by the authority")
    INSTITUTION = "institution", _("Institution placement")
    FOSTER_FAMILY = "foster_family", _("Foster family (professional or network)")
    ROOM_OF_OWN = "room_of_own", _("Room of own")
    SHORT_TERM = "short_term", _("Short-term placement")
    PREVENTIVE = "preventive", _("Preventive measure")
    MST = "mst", _("MST")
    FAMILY_CENTRE = "family_centre", _("Family centre")
    CONTACT_PERSON = "contact_person", _("Contact person")
    BOARDING_SCHOOL = "boarding_school", _("Boarding or continuation school")


class LegalConcept(models.TextChoices):
    """What kind of decision an offer rests on; the paragraph in force is data (rules app)."""

    NONE = legal.LegalConcept.NONE.value, _("No decision by the authority (universal offer)")
    EARLY_PREVENTION = legal.LegalConcept.EARLY_PREVENTION.value, _("Early prevention")
    SUPPORTING_MEASURE = legal.LegalConcept.SUPPORTING_MEASURE.value, _("Supporting measure")
    URGENT_MEASURE = legal.LegalConcept.URGENT_MEASURE.value, _("Urgent measure")
    FINANCIAL_SUPPORT = legal.LegalConcept.FINANCIAL_SUPPORT.value, _("Financial support")
    PLACEMENT = legal.LegalConcept.PLACEMENT.value, _("Placement outside the home")
    AFTERCARE = legal.LegalConcept.AFTERCARE.value, _("Support for 18-22-year-olds (aftercare)")


class Intervention(models.Model):
    """An offer in the catalogue (tilbudsviften), placed on one step of the staircase.

    The step says how far the offer takes the child from an ordinary everyday life. It is never
    derived from the cost: the catalogue holds no price at all (episodes carry their own cost).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    step = models.ForeignKey(Step, on_delete=models.PROTECT, verbose_name=_("step"))
    placement_type = models.CharField(
        _("placement type"), max_length=30, choices=PLACEMENT_TYPE_CHOICES, blank=True
    )
    is_aftercare = models.BooleanField(_("aftercare (18-22 years)"), default=False)
    cadence_category = models.CharField(
        _("follow-up rhythm"),
        max_length=20,
        choices=CadenceCategory.choices,
        default=CadenceCategory.NONE,
    )
    legal_concept = models.CharField(
        _("legal basis (kind)"),
        max_length=20,
        choices=LegalConcept.choices,
        default=LegalConcept.NONE,
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    target_age_min = models.PositiveSmallIntegerField(
        _("target age from (years)"), null=True, blank=True
    )
    target_age_max = models.PositiveSmallIntegerField(
        _("target age to (years)"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Where a classification (placement type, legal kind, aftercare) that was changed after
    # the first catalogue comes from: the seed's or the law's words (F8 point 9).
    classification_source = models.TextField(_("source of the classification"), blank=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["step", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_age_min__isnull=True)
                | models.Q(target_age_max__isnull=True)
                | models.Q(target_age_min__lte=models.F("target_age_max")),
                name="intervention_target_age_min_lte_max",
                violation_error_message=_("The lowest target age is above the highest."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.target_age_min, self.target_age_max
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"target_age_max": _("The lowest target age is above the highest.")}
            )

    def fits_age(self, age: int) -> bool:
        """Whether `age` lies in the target range; an open end (no age given) fits any age."""
        low, high = self.target_age_min, self.target_age_max
        return (low is None or low <= age) and (high is None or age <= high)

    @property
    def is_placement(self) -> bool:
        return bool(self.placement_type)
