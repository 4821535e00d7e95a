"""Who has seen this child's case? The answer a parent is entitled to (docs/audit.md)."""

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trappen.access.policy import may_view_audit
from trappen.cases.models import Child
from trappen.common import sorting as sort
from trappen.organisation.models import Profession, User

from .log import append, note_read
from .models import AuditAction, AuditEntry

PAGE_SIZE = 50


def _of_child(entry: AuditEntry, child_pk: int) -> list[tuple[str, str, int | None]]:
    """What of this child the entry is about (a list page also showed other children)."""
    return [s for s in entry.shown() if s[2] == child_pk] or entry.shown()[:1]


def _entry_json(entry: AuditEntry, names: dict[int, str], child_pk: int) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "entry": entry.place,
        "at": entry.at.isoformat(),
        "user": entry.actor_username,
        "name": names.get(entry.actor_id or 0, ""),
        "profession": entry.actor_profession,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_pk": entry.object_pk,
        "objects": [[t, p] for t, p, _c in _of_child(entry, child_pk)],
        "page": entry.path,
    }


@login_required
def child_history(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = Child.objects.select_related("district").filter(pk=child_pk).first()
    entries = AuditEntry.objects.about_child(child_pk).order_by("-id")
    if child is None and not entries.exists():
        raise Http404
    if not may_view_audit(request.user, child):
        raise PermissionDenied
    if request.GET.get("format") == "json":
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        sightings: list[AuditEntry] = []
    else:
        # The filter (F10 point 3): one kind of action (e.g. only changes); whitelisted values.
        action = request.GET.get("action", "")
        action = action if action in AuditAction.values else ""
        if action:
            entries = entries.filter(action=action)
        sorting = sort.chosen(request, HISTORY_SORTS, "-when")
        # The openings of the case first; the list pages' sightings grouped per person and day
        # (F10 point 9: dashboards drowned the openings).
        everything = list(entries)
        openings = [e for e in everything if not _on_a_list(e)]
        sightings = [e for e in everything if _on_a_list(e)]
        openings = sort.sort_rows(openings, sorting, HISTORY_SORTS)
        page = Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    actor_ids = {e.actor_id for e in [*rows, *sightings] if e.actor_id}
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
                "entries": [_entry_json(e, names, child_pk) for e in rows],
            }
        )
    professions = dict(Profession.choices)
    lines = [
        {
            "entry": e,
            "name": names.get(e.actor_id or 0, ""),
            "profession": professions.get(e.actor_profession, ""),
            "what": _what(e, child_pk),
        }
        for e in rows
    ]
    return render(
        request,
        "audit/child_history.html",
        {
            "child": child,
            "page": page,
            "lines": lines,
            "sightings": _grouped(sightings, names, professions),
            "sighting_count": len(sightings),
            "sorting": sorting,
            "action": action,
            "actions": AuditAction.choices,
        },
    )


# The openings' sortable columns (?sort=, F10 point 3), sorted in memory after the page's
# split into openings and list sightings: column → key. Who by user name (the full names
# are read for the shown page only).
HISTORY_SORTS: dict[str, Any] = {
    "when": lambda e: (e.at, e.pk),
    "who": lambda e: (e.actor_username or e.source, e.pk),
    "profession": lambda e: (e.actor_profession, e.pk),
    "action": lambda e: (e.action, e.pk),
}


def _on_a_list(entry: AuditEntry) -> bool:
    """A look from a list page (a home page, the case list, messages): a read on a page whose
    URL names no case or child. Reads outside a request and every change stay openings."""
    if entry.action != AuditAction.READ or not entry.path:
        return False
    try:
        match = resolve(entry.path)
    except Resolver404:
        return False
    return not match.kwargs


def _grouped(
    entries: list[AuditEntry], names: dict[int, str], professions: dict[str, Any]
) -> list[dict[str, Any]]:
    """List-page sightings per person and day, newest day first: how often, on which pages."""
    groups: dict[tuple[str, date], dict[str, Any]] = {}
    for e in entries:  # newest first
        day = timezone.localtime(e.at).date()
        group = groups.setdefault(
            (e.actor_username, day),
            {
                "day": day,
                "name": names.get(e.actor_id or 0, "") or e.actor_username or e.source,
                "username": e.actor_username,
                "profession": str(professions.get(e.actor_profession, "")),
                "count": 0,
                "pages": {},
                "first": e.at,
                "last": e.at,
            },
        )
        group["count"] += 1
        group["first"] = e.at
        group["pages"].setdefault(e.path, _page_title(e.url_name))
    return list(groups.values())


def _page_title(url_name: str) -> str:
    return str(PAGE_TITLES.get(url_name, url_name or _("a page")))


# The list pages a child appears on, in words (others by their URL name).
PAGE_TITLES = {
    "dashboards:home": _("home page"),
    "dashboards:my_home": _("My overview"),
    "dashboards:team": _("team view"),
    "cases:list": _("case list"),
    "notices:list": _("messages"),
    "followups:my_due": _("my follow-ups"),
    "followups:team_due": _("the team's follow-ups"),
}


def _what(entry: AuditEntry, child_pk: int) -> str:
    from django.apps import apps

    parts = []
    for object_type, object_pk, _child in _of_child(entry, child_pk):
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            parts.append(object_type)
            continue
        parts.append(f"{model._meta.verbose_name} {object_pk}".strip())
    return ", ".join(parts)
