from django.contrib import admin

from trappen.access.admin import ConfigAdmin

from .models import DeadlineRule, LegalBasis


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ConfigAdmin, admin.ModelAdmin):
    list_display = ("key", "amount", "unit", "valid_from", "valid_to", "source")
    list_filter = ("key",)


@admin.register(LegalBasis)
class LegalBasisAdmin(ConfigAdmin, admin.ModelAdmin):
    list_display = ("concept", "law", "paragraph", "title", "primary", "valid_from", "valid_to")
    list_filter = ("concept", "law", "primary")
    search_fields = ("paragraph", "title", "source")
