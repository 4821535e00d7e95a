from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.audit.log import note_reads

from . import services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notices = request.user.notices.select_related("case__child")  # type: ignore[union-attr]
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    # Old messages may name a case the user no longer sees (e.g. after a transfer): no link then.
    case_ids = {n.case_id for n in page.object_list if n.case_id}
    visible = set(
        policy.visible_cases(request.user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    # The rows that name a child are reads of that case (docs/audit.md, "Reads on list pages").
    note_reads([n.case for n in page.object_list if n.case_id in visible])
    return render(request, "notices/inbox.html", {"page": page, "visible": visible})


@login_required
@require_http_methods(["POST"])
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("notices:list")
