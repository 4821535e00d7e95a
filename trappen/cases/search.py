"""One search for staff (F10 point 3): name, CPR number, case number or external id, across
the cases the policy lets the user read. The query is POSTed, so a CPR number never stands
in a URL (nor in the browser history, a proxy's log or a Referer); a CPR search is throttled
and audited as a lookup (never the number), and the cases shown are audited as read."""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.audit.log import note_reads, record
from trappen.audit.models import AuditAction
from trappen.common import sorting as sort
from trappen.common.requests import AuthenticatedRequest
from trappen.intake.models import with_urgent_flag
from trappen.security import ratelimit

from .models import Case

MAX_RESULTS = 50
_SEPARATORS = re.compile(r"[\s-]")


def find(user: object, query: str) -> tuple[str, QuerySet[Case]]:
    """(the kind of query, the cases of `user`'s policy querysets that match it)."""
    cases = policy.visible_cases(user).select_related("child", "caseworker")
    compact = _SEPARATORS.sub("", query)
    if compact.isdigit() and len(compact) == 10:
        return "cpr", cases.filter(child__cpr=compact)
    match = Q(external_id=query) | Q(child__external_id=query)
    if compact.isdigit():
        match |= Q(pk=int(compact))
        return "number", cases.filter(match)
    by_name = Q()
    for word in query.split():
        by_name &= Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
    return "name", cases.filter(by_name | match)


@login_required
@require_http_methods(["GET", "POST"])
def search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    ctx: dict[str, object] = {"query": query, "searched": bool(query)}
    if query:
        kind, found = find(request.user, query)
        if kind == "cpr":
            verdict = ratelimit.cpr_lookup(request.user)
            if not verdict.allowed:
                if verdict.first_refusal:
                    record(AuditAction.LOOKUP, detail={"throttled": True, "form": "search"})
                ctx.update(throttled=verdict.message, results=[])
                return render(request, "cases/search.html", ctx, status=429)
        # The results sort by their columns (F10 point 3): the sort key is POSTed with the
        # query, which never stands in the URL; the policy's rows, ordered.
        sorting = sort.chosen(request, SEARCH_SORTS, "child", data=request.POST)
        results = list(
            sort.order(with_urgent_flag(found.distinct()), sorting, SEARCH_SORTS)[:MAX_RESULTS]
        )
        ctx["sorting"] = sorting
        if kind == "cpr":
            child = results[0].child if results else None
            record(AuditAction.LOOKUP, child, detail={"found": child is not None, "form": "search"})
            ctx["query"] = ""  # the number is not echoed back into the page
        note_reads(results)
        ctx.update(kind=kind, results=results, capped=len(results) == MAX_RESULTS)
    return render(request, "cases/search.html", ctx)


# The search results' sortable columns: column → fields (the CPR number is never a key).
SEARCH_SORTS = {
    "child": ("child__last_name", "child__first_name"),
    "case": ("id",),
    "status": ("status",),
    "caseworker": ("caseworker__last_name", "caseworker__first_name"),
}
