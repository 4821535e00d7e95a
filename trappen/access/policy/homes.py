"""Each role's home page (F10 point 4): which home a user gets and what its panels may list.

- caseworker: "Mit overblik" (own cases); team leader: the team page;
- PPR psychologist, health visitor: the cases shared with them under consent, their own
  activities on them, their meetings;
- school or day-care contact: their own concerns and resource-centre submissions (never a
  case, never the team's caseloads);
- data protection officer: the CPR lookups, every break-the-glass access, the audit's
  anomalies (refused lookups) — who and when, no case content;
- analyst: the key figures at a glance (aggregates only, as on the steering pages).
"""

from typing import Any

from django.db.models import QuerySet

from trappen.audit.models import AuditAction, AuditEntry
from trappen.consent.models import BreakGlass
from trappen.meetings.models import Submission
from trappen.organisation.models import Profession

from .base import SHARED_READERS, active, is_team_leader
from .meetings import may_submit
from .steering import may_view_steering

HOMES = {
    "team": "dashboards:team",
    "mine": "dashboards:my_home",
    "shared": "dashboards:shared",
    "school": "dashboards:school",
    "privacy": "dashboards:privacy",
    "figures": "dashboards:figures",
}


def home_kind(user: Any) -> str | None:
    """Which home `user` works from (a key of HOMES), None for none."""
    if not active(user):
        return None
    if is_team_leader(user):
        return "team"
    if user.profession == Profession.CASEWORKER:
        return "mine"
    if user.profession in SHARED_READERS:
        return "shared"
    if may_submit(user):
        return "school"
    if user.profession == Profession.DATA_PROTECTION:
        return "privacy"
    if user.profession == Profession.ANALYST and may_view_steering(user):
        return "figures"
    return None


def may_review_privacy(user: Any) -> bool:
    return active(user) and user.profession == Profession.DATA_PROTECTION


def privacy_lookups(user: Any) -> QuerySet[AuditEntry]:
    """The CPR lookups (who, when, found or not; never the number), for the DPO."""
    if not may_review_privacy(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(action=AuditAction.LOOKUP).order_by("-at", "-pk")


def privacy_anomalies(user: Any) -> QuerySet[AuditEntry]:
    """What the audit flags: lookups refused by the rate limit (a user looking up many CPR
    numbers in a short time), for the DPO."""
    return privacy_lookups(user).filter(detail__throttled=True)


def privacy_break_glass(user: Any) -> QuerySet[BreakGlass]:
    """Every break-the-glass access (who, which case number, why, until when), for the DPO."""
    if not may_review_privacy(user):
        return BreakGlass.objects.none()
    return BreakGlass.objects.order_by("-opened_at", "-pk")


def own_submissions_to_meetings(user: Any) -> QuerySet[Submission]:
    """The school contact's own resource-centre submissions."""
    if not may_submit(user):
        return Submission.objects.none()
    return Submission.objects.filter(submitted_by_id=user.pk).order_by("-submitted_on", "-pk")


def key_figure_cases(user: Any) -> QuerySet[Any]:
    """Every case, for the analyst's key figures: only counts leave it, no row is shown."""
    from trappen.cases.models import Case

    return Case.objects.all() if home_kind(user) == "figures" else Case.objects.none()


def key_figure_notifications(user: Any) -> QuerySet[Any]:
    """Every notification, for the analyst's key figures (counts only)."""
    from trappen.intake.models import Notification

    if home_kind(user) != "figures":
        return Notification.objects.none()
    return Notification.objects.all()
