from django.contrib import admin

from .models import Intervention, Step


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "source")


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("name", "step", "placement_type", "provider", "is_aftercare")
    list_filter = ("step", "placement_type", "is_aftercare")
    search_fields = ("name", "provider", "description")
