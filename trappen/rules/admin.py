from django.contrib import admin

from .models import DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "amount", "unit", "valid_from", "valid_to", "source")
    list_filter = ("key",)
