import hashlib
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.cases.models import Case, external_id_field, unique_external_id
from trappen.catalogue.models import CadenceCategory
from trappen.core.cadence import Schedule
from trappen.core.cadence_rules import RuleError, schedule_from_dict
from trappen.core.followup_schedule import exception_active
from trappen.measures.models import Episode
from trappen.plans.models import ActionPlanRevision, Goal


class CadenceRuleSet(models.Model):
    """A named, sourced set of follow-up rhythms: the model's (Herning) or the law's."""

    class Kind(models.TextChoices):
        MODEL = "model", _("The model's rhythm")
        LEGAL = "legal", _("Legal minimum")

    key = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.TextField(_("source"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    first_due_at_parallel_investigation_end = models.BooleanField(
        _("first follow-up no later than the end of a parallel investigation"), default=False
    )
    rhythm_decided_at_first_follow_up = models.BooleanField(
        _("the rhythm after the first follow-up is decided at it"),
        default=False,
        help_text=_("Barnets Lov § 95, stk. 3: the legal due dates then follow that decision."),
    )
    placement_visits_per_year = models.PositiveSmallIntegerField(
        _("supervision visits per year at the placement"),
        default=0,
        help_text=_("Barnets Lov § 156, stk. 5: at least two, with a conversation with the child."),
    )
    exempt_concepts = models.JSONField(
        _("legal concepts without a follow-up duty"),
        default=list,
        blank=True,
        help_text=_(
            "Measures of these kinds get no legal plan. Barnets Lov § 95, stk. 1, covers "
            "§§ 32, 46, 47, 114-116 and 120: not the early prevention of § 30 nor § 35."
        ),
    )

    class Meta:
        verbose_name = _("follow-up rule set")
        verbose_name_plural = _("follow-up rule sets")
        ordering = ["kind", "valid_from"]

    def __str__(self) -> str:
        return self.name

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, legal_concept: str) -> bool:
        """Whether a measure of this legal concept has a follow-up duty under this rule set."""
        return legal_concept not in self.exempt_concepts


ALL_CATEGORIES = "*"


class CadenceRule(models.Model):
    """One rhythm of a rule set, for one category of measure ('*': every followed-up one)."""

    rule_set = models.ForeignKey(CadenceRuleSet, on_delete=models.CASCADE, related_name="rules")
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[(ALL_CATEGORIES, _("All measures")), *CadenceCategory.choices],
    )
    schedule = models.JSONField(
        _("schedule"),
        help_text=_(
            'e.g. {"milestones": ["2w"], "repeats": [{"every": "6w", "until": "12m"}, '
            '{"every": "3m"}]}; intervals in d, w or m.'
        ),
    )

    class Meta:
        verbose_name = _("follow-up rule")
        verbose_name_plural = _("follow-up rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "category"], name="one_rule_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.rule_set}: {self.get_category_display()}"

    def clean(self) -> None:
        try:
            self.as_schedule()
        except RuleError as error:
            raise ValidationError({"schedule": str(error)}) from None

    def as_schedule(self) -> Schedule:
        if not isinstance(self.schedule, dict):
            raise RuleError("the schedule must be an object")
        return schedule_from_dict(self.schedule)


class FollowUpException(models.Model):
    """A team leader's approved exception from the model's extra follow-ups (KORA 2017)."""

    class Kind(models.TextChoices):
        CHILDHOOD_FOSTER = (
            "childhood_foster",
            _("Childhood placement in foster care; return home ruled out"),
        )
        FAR_AWAY = "far_away", _("Placement more than 50 km away")
        BOARDING_SCHOOL = "boarding_school", _("Boarding-school stay")

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="exceptions")
    kind = models.CharField(_("exception"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved"), default=timezone.localdate)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up exception")
        verbose_name_plural = _("follow-up exceptions")
        ordering = ["-approved_on"]

    def active_on(self, day: date) -> bool:
        return exception_active(self.approved_on, self.withdrawn_on, day)


class FollowUp(models.Model):
    """An opfølgning held on one measure, with the child conversation and the plan's review."""

    class Form(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        PHONE = "phone", _("Phone")
        MAIL = "mail", _("Mail")

    class PlanReview(models.TextChoices):
        KEPT = "kept", _("The goals are kept")
        CHANGED = "changed", _("The goals are changed")

    class Staff(models.TextChoices):
        WITHOUT = "without", _("Without the placement's staff")
        WITH = "with", _("With staff present (not possible without)")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="follow_ups")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="follow_ups")
    held_on = models.DateField(_("held on"))
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    child_conversation = models.BooleanField(_("child conversation held"))
    journal_entry = models.OneToOneField(
        "cases.JournalEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_review = models.CharField(
        _("action plan reviewed"), max_length=10, choices=PlanReview.choices
    )
    plan_revision = models.ForeignKey(
        ActionPlanRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_agreed_on = models.DateField(_("next follow-up agreed for"), null=True, blank=True)
    # Barnets Lov § 95, stk. 3: at the first follow-up, the decision on the rhythm to come, its
    # justification to child and parents and the child's wishes. The legal due dates after it
    # follow `rhythm` (an interval such as "3m").
    rhythm = models.CharField(_("the rhythm decided"), max_length=10, blank=True)
    rhythm_justification = models.TextField(_("justification of the rhythm"), blank=True)
    child_wishes = models.TextField(_("the child's wishes for the follow-up"), blank=True)
    # Barnets Lov § 156, stk. 5: a supervision visit at the placement, the child spoken with.
    at_placement = models.BooleanField(_("supervision visit at the placement"), default=False)
    staff_present = models.CharField(
        _("conversation with the child"), max_length=10, choices=Staff.choices, blank=True
    )
    # The child's own rating of how things are (1-10, trappen/core/data/goal_attainment.json),
    # asked at the child conversation; empty when there was none or the child did not answer.
    child_rating = models.PositiveSmallIntegerField(
        _("the child's own rating"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)
    external_id = external_id_field()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-held_on"]
        constraints = [unique_external_id("followup")]
        indexes = [models.Index(fields=["episode", "held_on"])]

    def counts_for(self, *, full_only: bool) -> bool:
        """Whether this follow-up meets a point that needs a meeting with a child conversation."""
        return not full_only or (self.form == self.Form.MEETING and self.child_conversation)

    @property
    def is_supervision_visit(self) -> bool:
        """A § 156, stk. 5, visit: at the placement, with a conversation with the child."""
        return self.at_placement and self.form == self.Form.MEETING and self.child_conversation


class GoalRating(models.Model):
    """A SMART goal of the current action plan rated at a follow-up on the goal attainment
    scale (−2 … +2, the words in trappen/core/data/goal_attainment.json)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="goal_ratings")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rating = models.SmallIntegerField(_("goal attainment"))

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "goal"], name="one_rating_per_goal"),
        ]


class ProviderReport(models.Model):
    """A status report received from the provider (the family centre's at 8 months): not a
    follow-up held by the caseworker (KORA 2017: "Ved 8 måneder modtages der status fra
    familiecenteret")."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="reports")
    received_on = models.DateField(_("received"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status report from the provider")
        verbose_name_plural = _("status reports from the provider")
        ordering = ["-received_on"]


def new_token() -> str:
    """Kept for migration 0001, which named it as the old plain token's default."""
    return secrets.token_urlsafe(32)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CalendarFeed(models.Model):
    """A caseworker's private iCalendar feed; the secret token in its address is the only
    credential, as calendar programs need.

    Only the SHA-256 of the token is stored: the address is shown once, when it is made, and
    someone who reads the database (or a backup) cannot use it. The feed answers while the
    account is active and holds the password, profession and team it had when the address was
    made (`account_stamp`): a deactivation, a new password or a move to another team or
    profession stops it, and the user makes a new address. Logging out does not: a calendar
    program fetches the feed without a session.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    account_stamp = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    @staticmethod
    def stamp_of(user: Any) -> str:
        """What must not change for the address to keep working (a digest, not the values)."""
        return _sha256(f"{user.pk}|{user.password}|{user.profession}|{user.team_id}")

    @classmethod
    def issue(cls, user: Any) -> tuple["CalendarFeed", str]:
        """A new address for `user`, replacing any old one at once; returns the token, which
        is kept nowhere."""
        token = new_token()
        feed, _created = cls.objects.update_or_create(
            user=user,
            defaults={
                "token_hash": _sha256(token),
                "account_stamp": cls.stamp_of(user),
                "created_at": timezone.now(),
            },
        )
        return feed, token

    @classmethod
    def find(cls, token: str) -> "CalendarFeed | None":
        """The feed the token opens, or None: unknown, replaced, stopped, or its account no
        longer the one it was made for. Every such answer is the same to the caller."""
        if not 0 < len(token) <= 100:
            return None
        feed = cls.objects.select_related("user").filter(token_hash=_sha256(token)).first()
        return feed if feed is not None and feed.is_live() else None

    def is_live(self) -> bool:
        """Whether the account is still the one the address was made for."""
        return self.user.is_active and secrets.compare_digest(
            self.account_stamp, self.stamp_of(self.user)
        )
