"""The professions' own work on the child: the psychologist's clarifying talks, the health
visitor's pregnancy, needs and joint home visits, family-centre attendance (KORA 2017,
appendix 2)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case

# A course of clarifying talks has between one and five talks (KORA 2017, appendix 2).
MAX_CLARIFYING_TALKS = 5


class Activity(models.Model):
    class Kind(models.TextChoices):
        CLARIFYING_TALK = "clarifying_talk", _("Psychologist's clarifying talk")
        PREGNANCY_VISIT = "pregnancy_visit", _("Pregnancy visit")
        NEEDS_VISIT = "needs_visit", _("Needs-based visit")
        JOINT_HOME_VISIT = "joint_home_visit", _("Joint home visit (health visitor and caseworker)")
        FAMILY_CENTRE = "family_centre", _("Family-centre attendance")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    talk_number = models.PositiveSmallIntegerField(_("talk number"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "talk_number"],
                condition=models.Q(talk_number__isnull=False),
                name="activity_one_talk_per_number",
            ),
            models.CheckConstraint(
                condition=models.Q(talk_number__isnull=True)
                | models.Q(talk_number__gte=1, talk_number__lte=MAX_CLARIFYING_TALKS),
                name="activity_talk_number_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} ({self.talk_number})" if self.talk_number else str(label)
