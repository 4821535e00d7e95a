from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notices = request.user.notices.select_related("case__child")  # type: ignore[union-attr]
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


@login_required
@require_http_methods(["POST"])
def mark_read(request: HttpRequest) -> HttpResponse:
    request.user.notices.filter(read_at__isnull=True).update(read_at=timezone.now())  # type: ignore[union-attr]
    return redirect("notices")
