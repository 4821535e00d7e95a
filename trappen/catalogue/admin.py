from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from trappen.access.admin import ConfigAdmin

from .models import Intervention, Step


@admin.register(Step)
class StepAdmin(ConfigAdmin, admin.ModelAdmin):
    list_display = ("number", "name", "source")


@admin.register(Intervention)
class InterventionAdmin(ConfigAdmin, admin.ModelAdmin):
    """The catalogue stays editable here; the model's clean() and constraints guard the input."""

    list_display = (
        "name",
        "step",
        "provider",
        "target_age_min",
        "target_age_max",
        "legal_concept",
        "placement_type",
        "cadence_category",
        "is_aftercare",
    )
    list_filter = ("step", "legal_concept", "placement_type", "cadence_category", "is_aftercare")
    search_fields = ("name", "provider", "description")
    fieldsets = (
        (None, {"fields": ("name", "step", "description", "provider")}),
        (_("Target group"), {"fields": ("target_age_min", "target_age_max")}),
        (
            _("Decision and follow-up"),
            {"fields": ("legal_concept", "placement_type", "is_aftercare", "cadence_category")},
        ),
        (None, {"fields": ("source", "classification_source")}),
    )
