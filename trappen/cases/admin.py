from django.contrib import admin

from trappen.access.admin import CaseContentAdmin

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(CaseContentAdmin, admin.ModelAdmin):  # names the child
    list_display = ("received_on", "child", "team", "case", "external_id")
    list_filter = ("team",)
    date_hierarchy = "received_on"
    raw_id_fields = ("child", "case")
    readonly_fields = ("external_id",)
