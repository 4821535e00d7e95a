from django import forms

from .models import ReminderChoice


class ReminderChoiceForm(forms.ModelForm):
    class Meta:
        model = ReminderChoice
        fields = ["daily_digest", "assessment_alerts"]
