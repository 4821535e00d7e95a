from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, Child, external_id_field, unique_external_id
from trappen.catalogue.models import Intervention
from trappen.common.periods import active_on_q
from trappen.core import legal
from trappen.core.staircase import PlacementType
from trappen.rules.models import LegalBasis

# Step 5: placements that are treatment, short, with the discharge planned from admission.
INSTITUTION_TYPES = frozenset(
    {
        PlacementType.RESIDENTIAL_INSTITUTION.value,
        PlacementType.SOCIO_PEDAGOGICAL.value,
        PlacementType.SECURE_INSTITUTION.value,
    }
)

SUPPORT_CONCEPTS = legal.SUPPORT_CONCEPTS  # § 32 (incl. § 32, stk. 4)

# The visitation threshold is a monthly amount; a month is counted as 30 days.
DAYS_PER_MONTH = 30


def is_institution(intervention: Intervention) -> bool:
    return intervention.placement_type in INSTITUTION_TYPES


def monthly_cost(daily_cost: Decimal | int) -> Decimal:
    return Decimal(daily_cost) * DAYS_PER_MONTH


def next_step_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("intended next step"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(4)],
        help_text=_("The step the child is meant to move on to after the institution (0-4)."),
    )


class Consent(models.TextChoices):
    """A placement is decided with consent (Barnets Lov § 46) or without it (§ 47)."""

    WITH = "with", _("With consent (§ 46)")
    WITHOUT = "without", _("Without consent (§ 47)")


class PlacementReason(models.TextChoices):
    LACK_OF_CARE = "lack_of_care", _("Lack of care for or treatment of the child")
    ABUSE = "abuse", _("Abuse the child has suffered")
    CHILD = "child", _("The child's own difficulties")
    OTHER = "other", _("Other")


# § 21, stk. 2: these reasons open the investigation of the siblings under 15.
SIBLING_REASONS = frozenset({PlacementReason.LACK_OF_CARE, PlacementReason.ABUSE})


class ChildHeard(models.TextChoices):
    """Barnets Lov § 5: a conversation with the child before the decision (the model's
    partshøring af barnet, noted in the journal)."""

    HEARD = "heard", _("The child was heard; noted in the journal")
    NOT_HEARD = "not_heard", _("Not heard (give the reason)")


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def active_on(self, day: date) -> "EpisodeQuerySet":
        return self.filter(active_on_q(day))


class Episode(models.Model):
    """One child's stay on one intervention, from start to end."""

    Consent = Consent
    PlacementReason = PlacementReason
    ChildHeard = ChildHeard

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
    legal_basis = models.ForeignKey(
        LegalBasis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal basis"),
    )
    # The exit plan of an institution placement (step 5). Not enforced in the database:
    # episodes recorded before the rule, or imported, may lack it; the case page warns.
    planned_discharge_on = models.DateField(_("planned discharge"), null=True, blank=True)
    intended_next_step = next_step_field()
    # The decision's content the law asks for (blank on rows recorded before F8 or imported):
    # § 32, stk. 3: purpose and expected duration; §§ 46/47: with or without consent.
    purpose = models.TextField(_("purpose of the measure"), blank=True)
    expected_end_on = models.DateField(_("expected duration: until"), null=True, blank=True)
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices, blank=True)
    placement_reason = models.CharField(
        _("reason for the placement"), max_length=20, choices=PlacementReason.choices, blank=True
    )
    child_heard = models.CharField(
        _("the child heard before the decision"),
        max_length=10,
        choices=ChildHeard.choices,
        blank=True,
    )
    child_not_heard_reason = models.TextField(_("why the child was not heard"), blank=True)
    external_id = external_id_field()

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-start_on"]
        constraints = [
            unique_external_id("episode"),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(daily_cost__gte=0), name="episode_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_discharge_on__isnull=True)
                | models.Q(planned_discharge_on__gte=models.F("start_on")),
                name="episode_discharge_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(intended_next_step__lte=4),
                name="episode_next_step_below_institution",
            ),
        ]
        indexes = [models.Index(fields=["child", "end_on"])]

    def __str__(self) -> str:
        return f"{self.intervention} ({self.start_on:%d.%m.%Y})"

    @property
    def step(self) -> int:
        return self.intervention.step_id

    @property
    def is_institution(self) -> bool:
        return is_institution(self.intervention)

    @property
    def visitation_status(self) -> str:
        """'approved' when the visitation committee approved it, else 'not_needed'.

        Pending and refused requests are VisitationRequest rows without an episode.
        """
        try:
            return str(self.visitation.status)
        except VisitationRequest.DoesNotExist:
            return "not_needed"

    @property
    def is_placement(self) -> bool:
        return bool(self.intervention.placement_type)

    @property
    def needs_purpose(self) -> bool:
        """§ 32, stk. 3: a supporting measure states its purpose and expected duration."""
        return self.intervention.legal_concept in SUPPORT_CONCEPTS

    @property
    def lacks_decision_content(self) -> bool:
        if self.needs_purpose and (not self.purpose.strip() or self.expected_end_on is None):
            return True
        return self.is_placement and not self.consent

    @property
    def lacks_exit_plan(self) -> bool:
        return self.is_institution and (
            self.planned_discharge_on is None or self.intended_next_step is None
        )


class MovementReason(models.TextChoices):
    CHILD_WISH = "child_wish", _("The child's wish")
    PLACEMENT_FAILED = "placement_failed", _("The placement did not work / the child ran away")
    SHORT_TERM = "short_term", _("Short-term by design")
    AFTERCARE_18 = "aftercare_18", _("Aftercare at 18")
    FAMILY_TREATMENT_ENDED = "family_treatment_ended", _("End of family treatment")
    NEEDS_CHANGED = "needs_changed", _("The child's needs changed")
    OTHER = "other", _("Other")


class Movement(models.Model):
    """A child moving from one step of the staircase to another (None: no active measure)."""

    Reason = MovementReason

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="movements")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="movements")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    from_step = models.PositiveSmallIntegerField(_("from step"), null=True, blank=True)
    to_step = models.PositiveSmallIntegerField(_("to step"), null=True, blank=True)
    moved_on = models.DateField(_("date"))
    reason = models.CharField(
        _("reason for the move"), max_length=30, choices=MovementReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("movement on the staircase")
        verbose_name_plural = _("movements on the staircase")
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_step=models.F("to_step")),
                name="movement_changes_step",
            ),
        ]
        indexes = [models.Index(fields=["child", "moved_on"])]

    def __str__(self) -> str:
        return f"{self.from_step} → {self.to_step} ({self.moved_on:%d.%m.%Y})"

    @property
    def is_down(self) -> bool:
        """Towards an ordinary everyday life: a lower step, or no measure at all (the goal)."""
        return _rank(self.to_step) < _rank(self.from_step)


def _rank(step: int | None) -> int:
    return -1 if step is None else step


class VisitationRequest(models.Model):
    """A measure above the municipality's threshold, waiting for the visitation committee.

    The episode is created only when the committee approves, so a pending or refused request
    never counts as an active measure (staircase, current step, case lists).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the visitation committee")
        APPROVED = "approved", _("Approved by the visitation committee")
        REFUSED = "refused", _("Refused by the visitation committee")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visitation_requests")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, verbose_name=_("intervention")
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=Episode.EndReason.choices, blank=True
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    daily_cost = models.DecimalField(_("daily cost (kr.)"), max_digits=9, decimal_places=2)
    threshold = models.PositiveIntegerField(_("threshold (kr. per month)"))
    movement_reason = models.CharField(
        _("reason for the move"), max_length=30, choices=MovementReason.choices, blank=True
    )
    movement_note = models.TextField(_("note on the move"), blank=True)
    planned_discharge_on = models.DateField(_("planned discharge"), null=True, blank=True)
    intended_next_step = next_step_field()
    # The decision's content (purpose, duration, consent, reason, hearing), started with it.
    decision_content = models.JSONField(_("the decision's content"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("visitation"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    note = models.TextField(_("the committee's note"), blank=True)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="visitation"
    )

    class Meta:
        verbose_name = _("visitation request")
        verbose_name_plural = _("visitation requests")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_on__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_on__isnull=False)),
                name="visitation_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(episode__isnull=False),
                name="visitation_approved_has_episode",
            ),
        ]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.intervention} ({self.start_on:%d.%m.%Y})"

    @property
    def monthly_cost(self) -> Decimal:
        return monthly_cost(self.daily_cost)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
