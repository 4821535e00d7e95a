from django.contrib import admin

from .models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("received_on", "child", "team", "case", "external_id")
    list_filter = ("team",)
    date_hierarchy = "received_on"
    raw_id_fields = ("child", "case")
    readonly_fields = ("external_id",)
