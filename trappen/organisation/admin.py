from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from trappen.access.admin import ConfigAdmin

from .models import District, DistrictGroup, Municipality, Team, User


@admin.register(User)
class StaffAdmin(ConfigAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "profession", "team", "is_active")
    list_filter = ("profession", "team", "is_active")
    fieldsets = (*UserAdmin.fieldsets, (_("Work"), {"fields": ("profession", "team")}))


@admin.register(Municipality)
class MunicipalityAdmin(ConfigAdmin, admin.ModelAdmin):
    pass


@admin.register(DistrictGroup)
class DistrictGroupAdmin(ConfigAdmin, admin.ModelAdmin):
    pass


@admin.register(Team)
class TeamAdmin(ConfigAdmin, admin.ModelAdmin):
    list_display = ("name", "municipality")


@admin.register(District)
class DistrictAdmin(ConfigAdmin, admin.ModelAdmin):
    list_display = ("name", "team", "group")
    list_filter = ("group", "team")
