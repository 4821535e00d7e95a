from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trappen.cases.models import Case
    from trappen.intake.models import Notification
    from trappen.organisation.models import User


class Notice(models.Model):
    """A message to one staff member, e.g. 'a new notification in your case'."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.CharField(_("text"), max_length=300)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A message about a notification before it has a case (e.g. 'awaiting assignment'): the
    # inbox links it and names the child to a reader the policy lets see the notification.
    notification = models.ForeignKey(
        "intake.Notification", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]


def notify(
    recipient: "User",
    text: str,
    case: "Case | None" = None,
    notification: "Notification | None" = None,
) -> Notice:
    return Notice.objects.create(
        recipient=recipient, text=text, case=case, notification=notification
    )
