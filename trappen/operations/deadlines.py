"""Deadline notices (`trappen daily`): a message in trappen when a follow-up falls behind or a
child investigation passes its deadline, once per deadline. Inside trappen a notice may name
the case (the messages page shows it only to whom the policy lets read the case)."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.followups.duelist import for_caseworker
from trappen.investigations.models import ChildInvestigation
from trappen.notices.models import notify
from trappen.organisation.models import Profession, User

from .models import ReminderSent


def _once(user: User, key: str) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, kind=ReminderSent.Kind.NOTICE, key=key[:64])
    except IntegrityError:
        return False
    return True


def send_deadline_notices(today: date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    caseworkers = User.objects.filter(is_active=True, profession=Profession.CASEWORKER)
    with translation.override(settings.LANGUAGE_CODE):
        for user in caseworkers:
            for row in for_caseworker(user, today).overdue:
                due = row.plans.next_due
                key = f"followup-{row.episode.pk}-{due or today:%Y%m%d}"
                if _once(user, key):
                    text = _("A follow-up in case %(case)s is overdue.") % {"case": row.case.pk}
                    notify(user, text, case=row.case)
                    sent += 1
            overdue = ChildInvestigation.objects.filter(
                case__in=policy.own_open_cases(user), completed_on__isnull=True, deadline__lt=today
            )
            for inv in overdue.select_related("case"):
                if _once(user, f"investigation-{inv.pk}"):
                    text = _("The child investigation in case %(case)s is past its deadline.") % {
                        "case": inv.case_id
                    }
                    notify(user, text, case=inv.case)
                    sent += 1
    return sent
