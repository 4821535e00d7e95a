"""Who has seen this child's case? The answer a parent is entitled to (docs/audit.md)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from trappen.access.policy import may_view_audit
from trappen.cases.models import Child
from trappen.organisation.models import Profession, User

from .log import append, note_read
from .models import AuditAction, AuditEntry

PAGE_SIZE = 50


def _entry_json(entry: AuditEntry, names: dict[int, str]) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "at": entry.at.isoformat(),
        "user": entry.actor_username,
        "name": names.get(entry.actor_id or 0, ""),
        "profession": entry.actor_profession,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_pk": entry.object_pk,
        "page": entry.path,
    }


@login_required
def child_history(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = Child.objects.select_related("district").filter(pk=child_pk).first()
    entries = AuditEntry.objects.filter(child_pk=child_pk).order_by("-sequence")
    if child is None and not entries.exists():
        raise Http404
    if not may_view_audit(request.user, child):
        raise PermissionDenied
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    actor_ids = {e.actor_id for e in rows if e.actor_id}
    names = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=actor_ids)}
    # Looking at the log is itself a look at the child's case.
    if child is not None:
        note_read(child)
    else:
        append(
            AuditAction.READ, object_type="cases.child", object_pk=str(child_pk), child_pk=child_pk
        )
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "child": child_pk,
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "entries": [_entry_json(e, names) for e in rows],
            }
        )
    professions = dict(Profession.choices)
    lines = [
        {
            "entry": e,
            "name": names.get(e.actor_id or 0, ""),
            "profession": professions.get(e.actor_profession, ""),
            "what": _what(e),
        }
        for e in rows
    ]
    return render(
        request, "audit/child_history.html", {"child": child, "page": page, "lines": lines}
    )


def _what(entry: AuditEntry) -> str:
    from django.apps import apps

    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return entry.object_type
    return f"{model._meta.verbose_name} {entry.object_pk}".strip()
