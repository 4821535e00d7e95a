from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.core import cpr as cpr_rules
from trappen.organisation.models import District, Team


def external_id_field() -> models.CharField:
    """The id a row had in the CSV file it was imported from (docs/interchange.md)."""
    return models.CharField(
        _("id in the imported file"), max_length=64, blank=True, db_index=True, editable=False
    )


def unique_external_id(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["external_id"],
        condition=~models.Q(external_id=""),
        name=f"{model}_external_id_unique",
    )


def bump_version(obj: models.Model, kwargs: dict[str, Any]) -> None:
    """Make the coming save of a stored row raise its `version` by one, in the database (F), so
    that two saves at once never both write the same number."""
    fields = kwargs.get("update_fields")
    if obj._state.adding or obj.pk is None or (fields is not None and not fields):
        return
    obj.version = models.F("version") + 1  # type: ignore[attr-defined]
    if fields is not None:
        kwargs["update_fields"] = {*fields, "version"}


def reload_version(obj: models.Model) -> None:
    if isinstance(obj.version, models.expressions.Combinable):  # type: ignore[attr-defined]
        obj.refresh_from_db(fields=["version"])


class Sex(models.TextChoices):
    FEMALE = cpr_rules.Sex.FEMALE.value, _("Girl")
    MALE = cpr_rules.Sex.MALE.value, _("Boy")


class Child(models.Model):
    # The CPR number is stored once and never used as an identifier in URLs: the id is.
    # An imported child has none (the interchange carries no CPR numbers and no names).
    cpr = models.CharField(_("CPR number"), max_length=10, unique=True, null=True, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="children", verbose_name=_("district")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    external_id = external_id_field()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["last_name", "first_name"]
        constraints = [unique_external_id("child")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """The name; "Barn <id in the imported file>" for an imported child, who has none."""
        name = f"{self.first_name} {self.last_name}".strip()
        return name or _("Child %(id)s") % {"id": self.external_id or self.pk}

    @property
    def masked_cpr(self) -> str:
        return cpr_rules.mask(self.cpr) if self.cpr else ""

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def open_case(self) -> "Case | None":
        return self.cases.exclude(status=Case.Status.CLOSED).first()


class Case(models.Model):
    class Status(models.TextChoices):
        CLARIFICATION = "clarification", _("Under clarification")
        INVESTIGATION = "investigation", _("Investigation")
        MEASURES = "measures", _("Measures")
        CLOSED = "closed", _("Closed")

    class ClosureReason(models.TextChoices):
        NO_NEED = "no_need", _("No further need for support")
        EARLY_SUPPORT_ENOUGH = "early_support", _("Early or interdisciplinary support was enough")
        GOALS_MET = "goals_met", _("The action plan's goals are met")
        TURNED_18 = "turned_18", _("Turned 18 / aftercare ended")
        MOVED_AWAY = "moved_away", _("Moved to another municipality")
        OTHER = "other", _("Other")

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="cases", verbose_name=_("child")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("caseworker"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CLARIFICATION
    )
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closure"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("note on closure"), blank=True)
    external_id = external_id_field()
    # Bumped by every change of the row (save() below): a form carries the version it was
    # rendered with, and a service refuses a change based on an older one (docs/integrity.md).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=~models.Q(status="closed"),
                name="one_open_case_per_child",
            ),
            unique_external_id("case"),
        ]
        indexes = [models.Index(fields=["caseworker", "status"])]

    def __str__(self) -> str:
        return _("Case %(number)s") % {"number": self.pk}

    def save(self, *args: Any, **kwargs: Any) -> None:
        bump_version(self, kwargs)
        super().save(*args, **kwargs)
        reload_version(self)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class CaseAssignment(models.Model):
    """Who owned the case from when: the record of every assignment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    caseload_at_assignment = models.PositiveIntegerField()
    was_suggested = models.BooleanField(default=False)
    # Set when the team leader handed the case over inside the team (sick leave, ...).
    handover = models.ForeignKey(
        "Handover", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )

    class Meta:
        ordering = ["assigned_at", "pk"]


class Handover(models.Model):
    """The team leader moves one or more cases from one caseworker of the team to another
    (sick leave, resignation, caseload balance), with a note for the one taking over. Each
    case moved gets its CaseAssignment (the history of who owned it), linked here."""

    class Reason(models.TextChoices):
        SICK_LEAVE = "sick_leave", _("Sick leave")
        RESIGNATION = "resignation", _("Resignation")
        CASELOAD = "caseload", _("Caseload balance")
        OTHER = "other", _("Other")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="handovers")
    from_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from caseworker"),
    )
    to_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to caseworker"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("handover note"))
    handover_on = models.DateField(_("handover date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-handover_on", "-pk"]


class JournalEntry(models.Model):
    class Heading(models.TextChoices):
        NOTE = "note", _("Note")
        CHILD_CONVERSATION = "child_conversation", _("Child conversation")
        CHILD_HEARING = "child_hearing", _("Hearing of the child")
        PHONE = "phone", _("Phone call")
        MEETING = "meeting", _("Meeting")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    written_at = models.DateTimeField(_("time"), default=timezone.now)
    heading = models.CharField(_("heading"), max_length=30, choices=Heading.choices)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-written_at"]


class Profession(models.TextChoices):
    """Professions taking part in early steps (organisation.Profession less the office roles)."""

    CASEWORKER = "caseworker", _("Caseworker")
    PSYCHOLOGIST = "psychologist", _("PPR psychologist")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    SCHOOL = "school", _("School or day-care")
    FAMILY_CENTRE = "family_centre", _("Family centre")
    OTHER = "other", _("Other")


class EarlyStep(models.Model):
    """Support before and without a child investigation (the model's early, joint work)."""

    class Kind(models.TextChoices):
        NETWORK_MEETING = "network_meeting", _("Network meeting")
        JOINT_HOME_VISIT = "joint_home_visit", _("Joint home visit with the health visitor")
        PSYCHOLOGIST_TALK = "psychologist_talk", _("Psychologist's clarifying talk")
        NEEDS_VISIT = "needs_visit", _("Health visitor's needs visit")
        EARLY_SUPPORT = "early_support", _("Early support (SEL § 11 / Barnets Lov § 30)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="early_steps")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    professions = models.JSONField(_("professions involved"), default=list)
    talk_number = models.PositiveSmallIntegerField(_("talk number (1-5)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("early step")
        verbose_name_plural = _("early steps")
        ordering = ["-held_on"]

    def profession_labels(self) -> list[str]:
        labels = dict(Profession.choices)
        return [str(labels.get(p, p)) for p in self.professions]


class Transfer(models.Model):
    """A case moving with the family to another district team, with a handover meeting."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    to_district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("new district")
    )
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="incoming_transfers")
    receiving_team_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving team leader"),
    )
    handover_meeting_on = models.DateField(_("handover meeting"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    new_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-requested_at"]

    @property
    def is_pending(self) -> bool:
        return self.completed_at is None


class Complaint(models.Model):
    """A complaint about the case handling (klage over sagsbehandlingen) or about a decision
    (klage over en afgørelse: reassessed by the municipality, then sent on to Ankestyrelsen),
    counted per team. The kinds, outcomes and their sources: core/data/quality.json."""

    class Kind(models.TextChoices):
        HANDLING = "handling", _("About the case handling")
        DECISION = "decision", _("About a decision")

    class Complainant(models.TextChoices):
        CHILD = "child", _("The child or young person")
        PARENT = "parent", _("A parent")
        OTHER = "other", _("Someone else")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
        NOT_UPHELD = "not_upheld", _("Not upheld")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SENT_ON = "sent_to_ankestyrelsen", _("Decision upheld, sent to Ankestyrelsen")

    class Ruling(models.TextChoices):
        """Ankestyrelsen's ruling on a complaint sent on to it, in Ankestyrelsen's own terms
        (ast.dk, 'Afgørelsestyper og omgørelsesprocent'; core/data/quality.json)."""

        UPHELD = "stadfaestet", _("Upheld (stadfæstet)")
        CHANGED = "aendret", _("Changed or annulled (ændret/ophævet)")
        SENT_BACK = "hjemvist", _("Sent back to the municipality (hjemvist)")
        REJECTED = "afvist", _("Rejected or referred (afvist/henvist)")

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("child")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("team")
    )
    received_on = models.DateField(_("received"))
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("case"),
        help_text=_("The child's case open on the day the complaint was received."),
    )
    kind = models.CharField(_("about"), max_length=20, choices=Kind.choices, default=Kind.HANDLING)
    decision = models.CharField(
        _("which decision"),
        max_length=200,
        blank=True,
        help_text=_("For a complaint about a decision: the decision and its date."),
    )
    complainant = models.CharField(
        _("from"), max_length=20, choices=Complainant.choices, blank=True
    )  # blank: not recorded (complaints registered before this field, or imported)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    # Ankestyrelsen's ruling on a complaint the municipality sent on (outcome SENT_ON).
    ruling = models.CharField(
        _("Ankestyrelsen's ruling"), max_length=20, choices=Ruling.choices, blank=True
    )
    ruling_on = models.DateField(_("date of the ruling"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    external_id = external_id_field()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-pk"]
        constraints = [unique_external_id("complaint")]
        indexes = [models.Index(fields=["team", "received_on"])]

    def __str__(self) -> str:
        return _("Complaint of %(date)s") % {"date": self.received_on.strftime("%d.%m.%Y")}
