"""A child's SDQ measurements (docs/wellbeing.md, "Recording"): the answers by item number,
never the item texts, with the scores computed by `trappen.core.sdq` and stored with them."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, Child, external_id_field, unique_external_id
from trappen.core import sdq

SCORE_FIELDS = (
    "emotional",
    "conduct",
    "hyperactivity",
    "peer",
    "prosocial",
    "total_difficulties",
    "externalising",
    "internalising",
    "impact",
)


class Informant(models.TextChoices):
    PARENT = sdq.Informant.PARENT.value, _("Parent")
    TEACHER = sdq.Informant.TEACHER.value, _("Teacher")
    SELF = sdq.Informant.SELF.value, _("Self-report (11-17)")


if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


def _score_field(label: "_StrOrPromise") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True, editable=False)


class SdqMeasurement(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sdq_measurements")
    # The case open when it was entered (None for one imported without a case on the day).
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="sdq_measurements"
    )
    informant = models.CharField(_("informant"), max_length=10, choices=Informant.choices)
    measured_on = models.DateField(_("date"))
    respondent = models.CharField(_("filled in by"), max_length=100, blank=True)
    # item_1 … item_25: 0, 1, 2 or null, in item order.
    answers = models.JSONField(_("answers"))
    # The impact supplement by its short names (sdq.IMPACT_ITEMS) and "difficulties"
    # (0 no, 1-3 yes); None when not filled in.
    impact_answers = models.JSONField(_("impact supplement"), null=True, blank=True)
    emotional = _score_field(_("emotional"))
    conduct = _score_field(_("conduct"))
    hyperactivity = _score_field(_("hyperactivity"))
    peer = _score_field(_("peer"))
    prosocial = _score_field(_("prosocial"))
    total_difficulties = _score_field(_("total difficulties"))
    externalising = _score_field(_("externalising"))
    internalising = _score_field(_("internalising"))
    impact = _score_field(_("impact"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    external_id = external_id_field()

    class Meta:
        verbose_name = _("SDQ measurement")
        verbose_name_plural = _("SDQ measurements")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "informant", "measured_on"], name="sdq_one_per_informant_and_day"
            ),
            unique_external_id("sdqmeasurement"),
        ]

    def __str__(self) -> str:
        return f"SDQ {self.get_informant_display()} {self.measured_on}"

    def response(self) -> sdq.Response:
        return sdq.Response.of(self.informant, self.answers, self.impact_of())

    def impact_of(self) -> sdq.Impact | None:
        data: dict[str, Any] | None = self.impact_answers
        if not data:
            return None
        informant = sdq.parse_informant(self.informant)
        difficulties = data.get("difficulties")
        items = tuple(data.get(name) for name in sdq.IMPACT_ITEMS[informant])
        return sdq.Impact(items, None if difficulties is None else difficulties > 0)

    def set_scores(self) -> None:
        scores = sdq.score(self.response())
        for name in SCORE_FIELDS:
            setattr(self, name, getattr(scores, name))
