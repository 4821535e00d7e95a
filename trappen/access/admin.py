"""The Django admin gate: administrators configure, they never read case content.

A ModelAdmin whose rows name a child or a case mixes in `CaseContentAdmin`: only a superuser
(the emergency account, docs/roles.md) sees it; a staff administrator with model permissions
does not.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from trappen.audit.log import note_read, note_reads


class CaseContentAdmin:
    """Also: what the list and the change page show is a read of each row (the audit log)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            note_reads(changelist.result_list)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if shown is not None:
            note_read(shown)
        return response

    def _emergency(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._emergency(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._emergency(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._emergency(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._emergency(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._emergency(request)


class ConfigAdmin:
    """Configuration pages: the delete confirmation counts what hangs on a team, district or
    user (children, cases, journal entries) instead of listing it by name."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, ...]:
        _deleted, model_count, perms_needed, protected = super().get_deleted_objects(  # type: ignore[misc]
            objs, request
        )
        summary = [f"{name}: {count}" for name, count in model_count.items()]
        if protected:
            protected = [
                _("%(count)d related records that prevent deletion (not listed by name)")
                % {"count": len(protected)}
            ]
        return summary, model_count, perms_needed, protected
