from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.audit.log import note_reads
from trappen.common import sorting as sort

from . import services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notices = request.user.notices.select_related(  # type: ignore[union-attr]
        "case__child", "notification__child"
    )
    # The filter (F10 point 3): the unread messages or all of them.
    show = "unread" if request.GET.get("show") == "unread" else "all"
    if show == "unread":
        notices = notices.filter(read_at__isnull=True)
    sorting = sort.chosen(request, INBOX_SORTS, "-date")
    # Read or not as a value of its own: an empty read_at alone would sort last both ways.
    notices = notices.annotate(
        is_read=ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    )
    ordered = sort.order(notices, sorting, INBOX_SORTS)
    page = Paginator(ordered, 30).get_page(request.GET.get("page"))
    # Old messages may name a case the user no longer sees (e.g. after a transfer): no link then.
    case_ids = {n.case_id for n in page.object_list if n.case_id}
    visible = set(
        policy.visible_cases(request.user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    # A message about a notification without a case (F10 point 6: 'awaiting assignment') links
    # it and names the child only while the policy lets the reader see that notification.
    notification_ids = {n.notification_id for n in page.object_list if n.notification_id}
    visible_notifications = set(
        policy.visible_notifications(request.user)
        .filter(pk__in=notification_ids)
        .values_list("pk", flat=True)
        if notification_ids
        else ()
    )
    # The rows that name a child are reads of that case (docs/audit.md, "Reads on list pages").
    note_reads([n.case for n in page.object_list if n.case_id in visible])
    note_reads(
        [
            n.notification
            for n in page.object_list
            if n.notification_id in visible_notifications and n.case_id not in visible
        ]
    )
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "visible": visible,
            "visible_notifications": visible_notifications,
            "sorting": sorting,
            "show": show,
        },
    )


# The inbox's sortable columns (?sort=, F10 point 3): column → fields. Never the child's name:
# the order would tell something about cases the reader may no longer see.
INBOX_SORTS = {"date": ("created_at",), "text": ("text",), "read": ("is_read", "read_at")}


@login_required
@require_http_methods(["POST"])
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("notices:list")
