"""District teams' internal meetings and the schools' and day-cares' resource-centre meetings.

docs/meetings.md describes the practice; the rules (priority, deadline, rotation) are in
`trappen/core/meetings.py`.
"""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.core import meetings as rules
from trappen.organisation.models import District, Team

if TYPE_CHECKING:
    from trappen.organisation.models import User


class School(models.Model):
    """A school or day-care of a school district, with its contacts and fixed participants."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        DAY_CARE = "day_care", _("Day-care")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCHOOL)
    name = models.CharField(_("name"), max_length=120)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="schools",
        verbose_name=_("school or day-care contacts"),
    )
    fixed_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="resource_centre_schools",
        verbose_name=_("fixed participants"),
        help_text=_("Who attends every resource-centre meeting, e.g. the PPR psychologist."),
    )

    class Meta:
        verbose_name = _("school or day-care")
        verbose_name_plural = _("schools and day-cares")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="school_name_unique")]

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal interdisciplinary meeting")
        RESOURCE_CENTRE = "resource_centre", _("Resource-centre meeting")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="meeting_series", verbose_name=_("team")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("school or day-care"),
    )
    place = models.CharField(_("place"), max_length=150, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=rules.RESOURCE_CENTRE_MINUTES
    )
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"),
        default=rules.INTERNAL_EVERY_DAYS,
        help_text=_("Internal meetings; resource-centre meetings are monthly."),
    )
    sparring_minutes = models.PositiveSmallIntegerField(
        _("time for anonymous sparring (minutes)"), default=rules.SPARRING_MINUTES
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meeting_series",
        verbose_name=_("members (the chair rotates among them)"),
    )

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["team", "kind", "school__name"]

    def __str__(self) -> str:
        if self.school_id:
            return f"{self.get_kind_display()}, {self.school}"
        return f"{self.get_kind_display()}, {self.team}"

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.INTERNAL

    def rotation(self) -> list["User"]:
        return list(self.members.order_by("first_name", "last_name", "pk"))


class Meeting(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("series")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(_("minutes recorded"), null=True, blank=True)
    # The minutes are a record with an author: who wrote them last, and when.
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes written by"),
    )
    minutes_at = models.DateTimeField(_("minutes last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["series", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.series} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    @property
    def day(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def team(self) -> Team:
        return self.series.team

    def deadline(self) -> date:
        return rules.latest_submission_day(self.day)


class Participant(models.Model):
    """Someone at a meeting: a staff member, or an outside guest by name and role."""

    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("Caseworker")
        TEAM_LEADER = "team_leader", _("Team leader")
        PSYCHOLOGIST = "psychologist", _("PPR psychologist")
        HEALTH_VISITOR = "health_visitor", _("Health visitor")
        SCHOOL = "school", _("School or day-care contact")
        SPEECH_THERAPIST = "speech_therapist", _("Speech therapist")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("staff member"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    fixed = models.BooleanField(_("fixed participant"), default=True)

    class Meta:
        ordering = ["-fixed", "role", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_once_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.name


class Submission(models.Model):
    """A teacher's or pedagogue's description for a resource-centre meeting."""

    class Kind(models.TextChoices):
        CHILD = "child", _("A child")
        GROUP = "group", _("A group or class")
        SCHOOL_WIDE = "school_wide", _("A school-wide measure")
        INFORMATION = "information", _("Information")

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("school")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("submitted"), default=timezone.localdate)
    kind = models.CharField(_("about"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    parents_shown = models.BooleanField(_("the parents were shown the description first"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("meeting")
    )
    moved_from = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("too late for"),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_on", "-pk"]


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        CHILD = "child", _("A child")
        GROUP = "group", _("A group or class")
        SCHOOL_WIDE = "school_wide", _("A school-wide measure")
        INFORMATION = "information", _("Information")
        SPARRING = "sparring", _("Anonymous sparring")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    # The case is named on the agenda only when consent covers every participant (services).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_items",
        verbose_name=_("case"),
    )
    professions = models.JSONField(_("relevant professions"), default=list, blank=True)
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="item"
    )
    manual_position = models.PositiveSmallIntegerField(null=True, blank=True)
    # The parents' information step of a resource-centre item about a child (Herningmodellen 1.0:
    # "Hvis det vedrører et barn, fremlægges beskrivelsen for forældrene med mulighed for
    # bemærkninger og med besked om forventet dato for fremlæggelse"): when, by whom, and what the
    # parents remarked. Without it the child is not named on the agenda.
    parents_informed_on = models.DateField(_("parents informed on"), null=True, blank=True)
    parents_informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parents informed by"),
    )
    parents_remarks = models.TextField(_("the parents' remarks"), blank=True)
    # The second parents' step, after the meeting (Herningmodellen 1.0, "Efter mødet": "De lærere,
    # som har bedt om fremlæggelse på ressourcecentermødet, kontakter forældrene på dagen for mødets
    # afholdelse med henblik på at orientere om anbefalinger, mødedatoer og eventuelle tiltag til
    # godkendelse"): when the parents were called, by whom, and a short note.
    parents_called_on = models.DateField(_("parents called on"), null=True, blank=True)
    parents_called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parents called by"),
    )
    parents_call_note = models.TextField(_("what the parents were told"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision written by"),
    )
    decision_at = models.DateTimeField(_("decision last changed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["pk"]

    def sort_key(self) -> tuple[int, int, int, int]:
        return rules.agenda_sort_key(rules.ItemKey(self.kind, self.manual_position, self.pk or 0))

    @property
    def needs_parents_informed(self) -> bool:
        """A resource-centre item about a child waits for the parents' information step."""
        return self.kind == self.Kind.CHILD and not self.meeting.series.is_internal

    @property
    def parents_informed(self) -> bool:
        return self.parents_informed_on is not None

    @property
    def parents_called(self) -> bool:
        return self.parents_called_on is not None

    @property
    def parents_called_late(self) -> bool:
        """Called, but not on the day of the meeting ("på dagen for mødets afholdelse")."""
        return self.parents_called_on is not None and self.parents_called_on != self.meeting.day

    def profession_labels(self) -> list[str]:
        labels = dict(Participant.Role.choices)
        return [str(labels.get(p, p)) for p in self.professions]


class Agreement(models.Model):
    """Who does what by when; shown at every following meeting of the series until closed."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="agreements")
    made_at = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements_made")
    who = models.CharField(_("who"), max_length=150)
    what = models.TextField(_("what"))
    due_on = models.DateField(_("by when"))
    closed_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_closed",
        verbose_name=_("closed at meeting"),
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["due_on", "pk"]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class MinutesRecipient(models.Model):
    """One participant the decision minutes of a meeting were sent to, and when (Herningmodellen
    1.0, "Efter mødet udfærdiger koordinator et beslutningsreferat fra møderne [...], som sendes til
    deltagerne"). Staff with an account get a notice in trappen; a guest without one is recorded as
    sent by the sender outside trappen (letter or secure mail)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="minutes_recipients"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Participant.Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("recipient of the minutes")
        verbose_name_plural = _("recipients of the minutes")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return self.name
