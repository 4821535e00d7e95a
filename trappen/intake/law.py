"""The notification duties of Barnets Lov around the 24-hour assessment: the genvurdering of a
notification in a case with support (§ 137, stk. 1) and the receipt to a professional notifier
(6 working days, the rule row in core/data/deadlines.json names its paragraph)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.core import legal
from trappen.core.deadlines import NoRuleInForce
from trappen.core.duties import may_reassess, needs_reassessment
from trappen.organisation.models import User
from trappen.rules.models import date_deadline_for

from .models import Notification

# § 137, stk. 1: support under § 32 and placements under §§ 46, 47 (and § 67).
SUPPORT_CONCEPTS = sorted(legal.PLAN_CONCEPTS)


def needs_genvurdering(notification: Notification) -> bool:
    case = notification.case
    if case is None:
        return False
    received = timezone.localdate(notification.received_at)
    spans = case.episodes.filter(intervention__legal_concept__in=SUPPORT_CONCEPTS).values_list(
        "start_on", "end_on"
    )
    return needs_reassessment(received, list(spans))


def involved_in_case(notification: Notification) -> set[int]:
    """Everyone who has taken part in the case before (§ 137, stk. 1, needs someone else)."""
    case = notification.case
    if case is None:
        return set()
    ids = {case.caseworker_id}
    ids |= set(case.assignments.values_list("caseworker_id", flat=True))
    ids |= set(case.journal.values_list("author_id", flat=True))
    ids |= set(case.episodes.values_list("created_by_id", flat=True))
    ids |= set(case.follow_ups.values_list("recorded_by_id", flat=True))
    ids |= set(case.investigations.values_list("started_by_id", flat=True))
    return {i for i in ids if i is not None}


@transaction.atomic
def reassess(notification: Notification, *, by: User, note: str) -> None:
    if not needs_genvurdering(notification):
        raise ValidationError(_("This notification needs no reassessment."))
    if notification.reassessed_at is not None:
        raise ValidationError(_("The notification is already reassessed."))
    if not may_reassess(by.pk, involved_in_case(notification)):
        raise ValidationError(
            _(
                "The reassessment needs someone who has not taken part in the case before "
                "(Barnets Lov § 137, stk. 1)."
            )
        )
    if not note.strip():
        raise ValidationError({"note": _("Write the reassessment.")})
    notification.reassessed_by = by
    notification.reassessed_at = timezone.now()
    notification.reassessment_note = note
    notification.save(update_fields=["reassessed_by", "reassessed_at", "reassessment_note"])


def receipt_due(notification: Notification) -> date | None:
    """When the receipt to a professional notifier is due; None for others."""
    if not notification.from_professional:
        return None
    try:
        return date_deadline_for("notifier_receipt", timezone.localdate(notification.received_at))
    except NoRuleInForce:
        return None


@dataclass(frozen=True)
class Receipt:
    due: date
    sent_on: date | None

    def is_late(self, today: date) -> bool:
        return (self.sent_on is None and today > self.due) or (
            self.sent_on is not None and self.sent_on > self.due
        )


def receipt(notification: Notification) -> Receipt | None:
    due = receipt_due(notification)
    return Receipt(due, notification.receipt_sent_on) if due else None


@transaction.atomic
def record_receipt(notification: Notification, *, sent_on: date, by: User) -> None:
    if not notification.from_professional:
        raise ValidationError(_("Only a professional notifier gets a receipt."))
    if notification.receipt_sent_on is not None:
        raise ValidationError(_("The receipt is already recorded."))
    if sent_on < timezone.localdate(notification.received_at):
        raise ValidationError(
            {"sent_on": _("The receipt cannot be sent before the notification came.")}
        )
    notification.receipt_sent_on = sent_on
    notification.receipt_sent_by = by
    notification.save(update_fields=["receipt_sent_on", "receipt_sent_by"])
