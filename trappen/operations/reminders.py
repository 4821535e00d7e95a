"""Reminders by e-mail (docs/reminders.md): a caseworker's daily digest of deadlines and a team
leader's alert before a 24-hour assessment is missed.

An e-mail leaves trappen for servers it does not control: it carries counts and links only —
never a child's name, a CPR number or anything from a case. Each sending is audited; each is
sent at most once (ReminderSent), so the timers may run as often as they like.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trappen.access import policy
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.followups.duelist import for_caseworker
from trappen.investigations.models import ChildInvestigation
from trappen.organisation.models import User
from trappen.plans.models import Goal

from .models import ReminderChoice, ReminderSent

SOON_DAYS = 14
# A team leader is alerted when an unassessed notification's deadline is this close.
ALERT_HOURS = 4


def base_url() -> str:
    return str(getattr(settings, "TRAPPEN_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


@dataclass(frozen=True)
class Digest:
    followups_overdue: int
    followups_soon: int
    assessments_waiting: int
    investigations_overdue: int
    investigations_soon: int
    goals_overdue: int
    goals_soon: int

    @property
    def empty(self) -> bool:
        return not any(vars(self).values())


def digest_for(user: User, today: date) -> Digest:
    """What is due for `user`, counted through the policy (what they may still read)."""
    due = for_caseworker(user, today)
    cases = policy.own_open_cases(user)
    horizon = today + timedelta(days=SOON_DAYS)
    investigations = ChildInvestigation.objects.filter(case__in=cases, completed_on__isnull=True)
    goals = _current_goals(cases)
    waiting = policy.visible_notifications(user).filter(  # type: ignore[misc]  # team None: IS NULL
        assessed_at__isnull=True, child__district__team_id=user.team_id
    )
    return Digest(
        followups_overdue=len(due.overdue),
        followups_soon=len(due.soon),
        assessments_waiting=waiting.count() if user.team_id else 0,
        investigations_overdue=investigations.filter(deadline__lt=today).count(),
        investigations_soon=investigations.filter(
            deadline__gte=today, deadline__lte=horizon
        ).count(),
        goals_overdue=sum(1 for g in goals if g.due_on < today),
        goals_soon=sum(1 for g in goals if today <= g.due_on <= horizon),
    )


def _current_goals(cases) -> list[Goal]:
    """The goals of each plan's current revision (older revisions' goals are history)."""
    goals = Goal.objects.filter(revision__plan__case__in=cases).select_related("revision")
    latest: dict[int, int] = {}
    rows = list(goals)
    for goal in rows:
        plan = goal.revision.plan_id
        latest[plan] = max(latest.get(plan, 0), goal.revision.number)
    return [g for g in rows if g.revision.number == latest[g.revision.plan_id]]


def _lines(digest: Digest) -> list[str]:
    d = digest
    parts = [
        ngettext("%(n)d follow-up is overdue", "%(n)d follow-ups are overdue", d.followups_overdue),
        ngettext(
            "%(n)d follow-up is due within 14 days",
            "%(n)d follow-ups are due within 14 days",
            d.followups_soon,
        ),
        ngettext(
            "%(n)d notification awaits its 24-hour assessment",
            "%(n)d notifications await their 24-hour assessment",
            d.assessments_waiting,
        ),
        ngettext(
            "%(n)d child investigation is past its deadline",
            "%(n)d child investigations are past their deadline",
            d.investigations_overdue,
        ),
        ngettext(
            "%(n)d child investigation has its deadline within 14 days",
            "%(n)d child investigations have their deadline within 14 days",
            d.investigations_soon,
        ),
        ngettext(
            "%(n)d goal of an action plan is past its date",
            "%(n)d goals of action plans are past their date",
            d.goals_overdue,
        ),
        ngettext(
            "%(n)d goal of an action plan is due within 14 days",
            "%(n)d goals of action plans are due within 14 days",
            d.goals_soon,
        ),
    ]
    counts = [
        d.followups_overdue,
        d.followups_soon,
        d.assessments_waiting,
        d.investigations_overdue,
        d.investigations_soon,
        d.goals_overdue,
        d.goals_soon,
    ]
    return [text % {"n": n} for n, text in zip(counts, parts, strict=True) if n]


def render_digest(user: User, digest: Digest) -> tuple[str, str]:
    """Subject and body: counts and links, in Danish, no names."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("trappen: your deadlines today")
        body = render_to_string(
            "operations/email/digest.txt",
            {
                "user": user,
                "lines": _lines(digest),
                "links": {
                    "home": base_url() + reverse("dashboards:my_home"),
                    "followups": base_url() + reverse("followups:my_due"),
                    "choices": base_url() + reverse("operations:reminder_choices"),
                },
            },
        )
    return subject, body


def _once(user: User, kind: str, key: str) -> bool:
    """Claim the sending; False when it was already sent."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def _send(user: User, kind: str, key: str, subject: str, body: str, counts: dict[str, int]) -> bool:
    if not user.email or not _once(user, kind, key):
        return False
    send_mail(subject, body, None, [user.email])
    record(
        AuditAction.EMAIL,
        user=None,
        detail={"kind": kind, "to_user": user.pk, "counts": counts},
    )
    return True


def send_digests(today: date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    choices = ReminderChoice.objects.filter(daily_digest=True, user__is_active=True)
    for choice in choices.select_related("user"):
        digest = digest_for(choice.user, today)
        if digest.empty:
            continue
        subject, body = render_digest(choice.user, digest)
        sent += _send(
            choice.user, ReminderSent.Kind.DIGEST, today.isoformat(), subject, body, vars(digest)
        )
    return sent


def send_assessment_alerts(now: datetime | None = None) -> int:
    """Team leaders who asked for it: a notification of their team whose 24-hour assessment
    deadline falls within ALERT_HOURS and is not assessed. One e-mail per notification."""
    now = now or timezone.now()
    sent = 0
    choices = ReminderChoice.objects.filter(assessment_alerts=True, user__is_active=True)
    for choice in choices.select_related("user"):
        leader = choice.user
        team = leader.team
        if team is None or not policy.may(leader, policy.Action.ASSIGN, team):
            continue  # only the team's leader, who distributes its notifications
        closing = policy.visible_notifications(leader).filter(  # type: ignore[misc]  # team None: IS NULL
            assessed_at__isnull=True,
            child__district__team_id=leader.team_id,
            assessment_deadline__gt=now,
            assessment_deadline__lte=now + timedelta(hours=ALERT_HOURS),
        )
        for notification in closing.order_by("assessment_deadline"):
            with translation.override(settings.LANGUAGE_CODE):
                local = timezone.localtime(notification.assessment_deadline)
                subject = _("trappen: a 24-hour assessment is due at %(time)s") % {
                    "time": local.strftime("%H:%M")
                }
                body = render_to_string(
                    "operations/email/assessment_alert.txt",
                    {
                        "user": leader,
                        "deadline": local,
                        "link": base_url() + reverse("dashboards:team"),
                        "choices": base_url() + reverse("operations:reminder_choices"),
                    },
                )
            key = f"notification-{notification.pk}"
            sent += _send(
                leader, ReminderSent.Kind.ASSESSMENT_ALERT, key, subject, body, {"notifications": 1}
            )
    return sent
