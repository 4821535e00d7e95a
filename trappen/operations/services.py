"""Writes of the operations app: the user's own choice of e-mail reminders."""

from typing import Any

from django.forms import ModelForm

from .models import ReminderChoice


def reminder_choice(user: Any) -> ReminderChoice:
    """The user's choice, or the default one (not saved: a page view writes nothing)."""
    return ReminderChoice.objects.filter(user=user).first() or ReminderChoice(user=user)


def save_reminder_choice(form: "ModelForm[ReminderChoice]", *, may_get_alerts: bool) -> None:
    """The choice saved; the assessment alerts only for someone who may get them."""
    saved = form.save(commit=False)
    saved.assessment_alerts = saved.assessment_alerts and may_get_alerts
    saved.save()
