from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case
from trappen.core.duties import InvestigationClock

# The short note with each area's rating.
NOTE_LENGTH = 600


class Tier(models.TextChoices):
    """The three tiers of Barnets Lov: screening (§ 18), afdækning (§ 19) and the
    børnefaglig undersøgelse (§ 20)."""

    SCREENING = "screening", _("Screening (Barnets Lov § 18)")
    AFDAEKNING = "afdaekning", _("Clarification of one or more matters (afdækning, § 19)")
    INVESTIGATION = "investigation", _("Child investigation (børnefaglig undersøgelse, § 20)")


class ChildInvestigation(models.Model):
    """A step of the case's investigation: screening, afdækning or børnefaglig undersøgelse
    (SEL § 50 / Barnets Lov §§ 18-20), each with its decision (conclusion) and date."""

    Tier = Tier

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    tier = models.CharField(
        _("tier"), max_length=20, choices=Tier.choices, default=Tier.INVESTIGATION
    )
    started_on = models.DateField(_("started"))
    # § 20, stk. 3: the 4 months run from the day the municipality became aware that the child
    # may need special support (the first notification or request), not from the start.
    aware_on = models.DateField(_("the municipality became aware"), null=True, blank=True)
    aware_on_reason = models.TextField(_("reason for the day of awareness"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    # § 20, stk. 3: when the investigation cannot be completed in 4 months.
    preliminary_on = models.DateField(_("preliminary assessment made"), null=True, blank=True)
    preliminary_assessment = models.TextField(_("preliminary assessment"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("child investigation")
        verbose_name_plural = _("child investigations")
        ordering = ["-started_on"]

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def has_deadline(self) -> bool:
        return self.tier == Tier.INVESTIGATION and self.deadline is not None

    def clock(self) -> InvestigationClock | None:
        if not self.has_deadline or self.deadline is None:
            return None
        return InvestigationClock(
            self.aware_on or self.started_on, self.deadline, self.completed_on, self.preliminary_on
        )

    def preliminary_due(self, today: date | None = None) -> bool:
        """Past the § 20 deadline with no foreløbig vurdering: shown red until it exists."""
        clock = self.clock()
        return clock is not None and clock.preliminary_due(today or timezone.localdate())


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


class SiblingInvestigationTask(models.Model):
    """§ 21, stk. 2: a child placed for lack of care or abuse: the siblings under 15 in the
    household are investigated (stk. 3: unless it is obvious that there is no need). Opened
    by the placement; closed with what was done."""

    class Outcome(models.TextChoices):
        STARTED = "started", _("Investigations of the siblings are started")
        NO_SIBLINGS = "no_siblings", _("No siblings under 15 in the household")
        NOT_NEEDED = "not_needed", _("Obviously not needed (§ 21, stk. 3)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sibling_tasks")
    episode = models.OneToOneField(
        "measures.Episode", on_delete=models.CASCADE, related_name="sibling_task"
    )
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("investigation of siblings")
        verbose_name_plural = _("investigations of siblings")
        ordering = ["-opened_on"]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class AreaAssessment(models.Model):
    """One area of the structured investigation rated from a major concern (−2) to a major
    resource (+2), with a short note (Barnets Lov § 22, stk. 1: the challenges and resources
    of the child, the family and the network). The areas and the rating's words are data
    (`trappen/core/data/ics_areas.json`); `framework` and `area` are their keys."""

    investigation = models.ForeignKey(
        ChildInvestigation, on_delete=models.CASCADE, related_name="areas"
    )
    framework = models.CharField(_("framework"), max_length=40)
    area = models.CharField(_("area"), max_length=40)
    rating = models.SmallIntegerField(_("rating"))
    note = models.TextField(_("note"), max_length=NOTE_LENGTH)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assessment of an area")
        verbose_name_plural = _("assessments of the areas")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "area"], name="one_rating_per_area"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=-2, rating__lte=2), name="area_rating_in_scale"
            ),
        ]
