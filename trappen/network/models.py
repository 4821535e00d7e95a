"""Network meetings and inclusive network meetings for a child (KORA 2017, appendix 2).

The invitation and the four-column minutes follow the seed's templates. Participants outside
the case team (the child, parents, teachers, relatives) are names and roles, not users.

"Det er den leder eller fagperson, der har bekymringen, der inviterer til møde": a meeting is
called by any professional with a concern, often before a case exists (`case` empty, the
meeting belongs to a school district). Until the parents' consent is recorded the meeting holds
nothing that identifies the child: no case, no name of the child or the parents, only an
anonymous description (services enforce it). Reserved slots per district (`Slot`) are released
when nobody booked them a week ahead (`trappen/core/network.py`); the decision minutes are sent
to everyone invited, and each receipt is recorded (`MinutesRecipient`).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case
from trappen.core import network as rules
from trappen.organisation.models import District


class NetworkMeeting(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Network meeting")
        INCLUSIVE = "inclusive", _("Inclusive network meeting")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_meetings",
        verbose_name=_("case"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        related_name="network_meetings",
        verbose_name=_("school district"),
    )
    # Before consent: who the meeting is about, without identifying the child.
    child_description = models.CharField(
        _("the child, described without a name"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'a girl in 3rd grade'. No name, CPR number or address."),
    )
    consent_on = models.DateField(_("the parents consented on"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_note = models.CharField(_("how the parents consented"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    concern = models.TextField(_("the concern"))
    concern_on = models.DateField(_("concern raised on"))
    purpose = models.TextField(_("purpose"))
    reason = models.TextField(_("why we meet"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.CharField(_("chair"), max_length=200)
    procedure = models.TextField(_("how the meeting will run"), blank=True)
    contact_name = models.CharField(_("contact for questions"), max_length=200)
    contact_phone = models.CharField(_("contact's phone"), max_length=40, blank=True)
    signed_by = models.CharField(_("invitation signed by (name and function)"), max_length=200)
    # The minutes: the seed's four columns, with note-taker and contact person.
    concerns = models.TextField(_("concerns"), blank=True)
    works = models.TextField(_("what works"), blank=True)
    want_to_see = models.TextField(_("what we want to see happen"), blank=True)
    agreements = models.TextField(_("agreements and solutions"), blank=True)
    note_taker = models.CharField(_("note-taker"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    minutes_written_at = models.DateTimeField(_("minutes written"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="network_meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def meeting_on(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def days_from_concern(self) -> int:
        return rules.days_to_meeting(self.concern_on, self.meeting_on)

    @property
    def identifiable(self) -> bool:
        """May the child be named? On a case (the municipality knows the child) or once the
        parents' consent is recorded; a meeting called before a case stays anonymous."""
        return self.case_id is not None or self.consent_on is not None

    def child_label(self) -> str:
        if self.case_id and self.identifiable:
            return str(self.case.child.full_name)  # type: ignore[union-attr]
        return self.child_description or str(_("A child (anonymous until the parents consent)"))

    @property
    def has_minutes(self) -> bool:
        return self.minutes_written_at is not None

    def ordered_participants(self) -> list["Participant"]:
        """The invitation's order: the child, the parents, then the others by role."""
        return sorted(self.participants.all(), key=lambda p: (rules.role_rank(p.role), p.position))


class Participant(models.Model):
    class Role(models.TextChoices):
        CHILD = "child", _("The child or young person")
        PARENT = "parent", _("Parent")
        NETWORK = "network", _("Family or network (friend, aunt, neighbour)")
        SCHOOL = "school", _("School (leader or class teacher)")
        DAY_CARE = "day_care", _("Day-care")
        PSYCHOLOGIST = "psychologist", _("PPR psychologist")
        CASEWORKER = "caseworker", _("Caseworker")
        HEALTH_VISITOR = "health_visitor", _("Health visitor")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    # Only for the case team's own staff: puts the meeting in their calendar.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_meetings",
        verbose_name=_("staff member"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Slot(models.Model):
    """Time reserved in a professional's calendar for network meetings in a school district.

    Booked by calling a meeting into it; released to its holder when nobody booked it by
    the release day (the rule is data, `core/data/slots.json`)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="network_slots", verbose_name=_("district")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="network_slots",
        verbose_name=_("reserved in the calendar of"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    meeting = models.OneToOneField(
        NetworkMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slot",
        verbose_name=_("booked by"),
    )

    class Meta:
        verbose_name = _("reserved network-meeting slot")
        verbose_name_plural = _("reserved network-meeting slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="network_slot_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def day(self) -> date:
        return timezone.localdate(self.starts_at)


class MinutesRecipient(models.Model):
    """One invited person the decision minutes were sent to, and when ("At udfærdige og sende
    et beslutningsreferat til alle inviterede efter mødet")."""

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="minutes_recipients"
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
