"""The admin of the organisation: municipality, districts, teams and staff (docs/administration.md).

What decides who sees which child — a user's profession and team — and what decides who may
change that — the staff and superuser flags, groups and permissions, passwords — is changed
only by a superuser, and never on its own account. A staff administrator edits names, e-mail
addresses and whether an account is active, and configures the rest. Every account change is
in the audit log (trappen.organisation.signals), by field name.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from trappen.access.admin import ConfigAdmin

from .models import (
    PRIVILEGE_FIELDS,
    District,
    DistrictGroup,
    Municipality,
    Organisation,
    Team,
    User,
)


def is_superuser(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_superuser)


@admin.register(User)
class StaffAdmin(ConfigAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "profession", "team", "is_active")
    list_filter = ("profession", "team", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("Work"),
            {"fields": ("profession", "team", "organisation", "job_title", "phone")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")  # bookkeeping, set by Django

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """The privilege fields: a superuser's, except on its own account."""
        readonly = list(super().get_readonly_fields(request, obj))
        own = obj is not None and obj.pk == request.user.pk
        if obj is not None and (own or not is_superuser(request)):
            readonly += [f for f in PRIVILEGE_FIELDS if f not in readonly]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A superuser's account is changed only by a superuser (an administrator could
        otherwise deactivate or rename the emergency account)."""
        if obj is not None and obj.is_superuser and not is_superuser(request):
            return False
        return super().has_change_permission(request, obj)

    # Creating an account sets its password; deleting one removes someone's access: both are
    # the superuser's (an administrator deactivates an account instead).
    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.pk == request.user.pk:
            return False
        return is_superuser(request) and super().has_delete_permission(request, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Another user's password: only a superuser sets it (one's own: anyone)."""
        if not is_superuser(request) and str(id) != str(request.user.pk):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


# Groups carry permissions, so they are the superuser's too; an administrator may look.
admin.site.unregister(Group)


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request)


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


@admin.register(Organisation)
class OrganisationAdmin(ConfigAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "district")
    list_filter = ("kind",)
