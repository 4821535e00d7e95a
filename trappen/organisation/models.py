from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    caseload_cap = models.PositiveSmallIntegerField(
        _("caseload cap"),
        default=25,
        help_text=_("Most open cases per caseworker (the Herning model: 20-25)."),
    )
    visitation_threshold = models.PositiveIntegerField(
        _("visitation committee threshold (kr. per month)"),
        default=20000,
        help_text=_(
            "Measures whose monthly cost (daily cost × 30) is above this amount need the "
            "visitation committee's approval before they start (the Herning model: 20,000 kr.)."
        ),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class DistrictGroup(models.Model):
    """A grouping of districts for comparisons, e.g. pilot districts against the others."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("district group")
        verbose_name_plural = _("district groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """An interdisciplinary district team; it serves one or more school districts."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("district team")
        verbose_name_plural = _("district teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def caseworkers(self) -> models.QuerySet["User"]:
        return self.members.filter(profession=Profession.CASEWORKER, is_active=True)

    def leaders(self) -> models.QuerySet["User"]:
        return self.members.filter(profession=Profession.TEAM_LEADER, is_active=True)


class District(models.Model):
    """A school district (skoledistrikt), the unit that children and cases belong to."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="districts", verbose_name=_("team")
    )
    group = models.ForeignKey(
        DistrictGroup, on_delete=models.PROTECT, related_name="districts", verbose_name=_("group")
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A notifier's workplace: a school, a day-care, the health visitors, PPR (F8 point 4).

    A professional's notification names it, so a caseworker sees "Børnehuset Solsikken" and
    not "School"; the kind decides the notifier kind recorded (core/data/notifiers.json)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        DAY_CARE = "day_care", _("Day-care")
        HEALTH_VISITING = "health_visiting", _("Health visitors")
        PPR = "ppr", _("PPR (educational psychology)")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        "District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="organisation_name")
        ]

    def __str__(self) -> str:
        return self.name


class Profession(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    TEAM_LEADER = "team_leader", _("Team leader")
    PSYCHOLOGIST = "psychologist", _("PPR psychologist")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    SCHOOL = "school", _("School or day-care contact")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    DATA_PROTECTION = "data_protection", _("Data protection officer")


# What decides who sees which child (profession, team) and who may change that (the rest): set
# only by a superuser, never on its own account (admin.py), every change audited (signals.py).
PRIVILEGE_FIELDS = ("profession", "team", "is_staff", "is_superuser", "groups", "user_permissions")


class User(AbstractUser):
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, blank=True
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    # Where a notifier works (a school, a day-care, the health visitors, PPR): their
    # notification's organisation is prefilled from it. Grants no access.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_caseworker(self) -> bool:
        return self.profession == Profession.CASEWORKER

    @property
    def is_team_leader(self) -> bool:
        return self.profession == Profession.TEAM_LEADER
