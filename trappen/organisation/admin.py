from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import District, DistrictGroup, Municipality, Team, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "profession", "team", "is_active")
    list_filter = ("profession", "team", "is_active")
    fieldsets = (*UserAdmin.fieldsets, (_("Work"), {"fields": ("profession", "team")}))


admin.site.register(Municipality)
admin.site.register(DistrictGroup)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "group")
    list_filter = ("group", "team")
