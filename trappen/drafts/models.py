"""Drafts of long texts (F10 point 2): a journal note or a meeting's minutes, saved while the
user types, offered again when the form is opened again, gone when the text is saved or the
user discards it. A draft is case content: only its author reads it (trappen.access.policy.
drafts), every write is audited (trappen.audit.signals), retention removes it with the child's
data or blanks it with the meeting's records (trappen.privacy.retention). Stored like the
texts it is a draft of (the journal's and the minutes' text fields are not encrypted either)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import JournalEntry


class Draft(models.Model):
    class Kind(models.TextChoices):
        JOURNAL = "journal", _("Journal entry")
        MINUTES = "minutes", _("Minutes")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="drafts",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("case"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("meeting"),
    )
    # The journal's heading (a code); empty for minutes.
    heading = models.CharField(
        _("heading"), max_length=30, blank=True, choices=JournalEntry.Heading.choices
    )
    text = models.TextField(_("text"))
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-saved_at"]
        constraints = [
            # One draft per author and case (journal) or meeting (minutes).
            models.UniqueConstraint(
                fields=["author", "case"],
                condition=Q(kind="journal"),
                name="one_journal_draft_per_author_and_case",
            ),
            models.UniqueConstraint(
                fields=["author", "meeting"],
                condition=Q(kind="minutes"),
                name="one_minutes_draft_per_author_and_meeting",
            ),
            models.CheckConstraint(
                condition=(Q(kind="journal", case__isnull=False, meeting__isnull=True))
                | Q(kind="minutes", meeting__isnull=False, case__isnull=True),
                name="draft_has_its_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
