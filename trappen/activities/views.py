from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted

from . import services
from .forms import ActivityForm


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk)
    kinds = policy.recordable_kinds(request.user, case)
    if not kinds:
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None, kinds=kinds, initial={"held_on": timezone.localdate()}
    )
    if submitted(request, form, lambda data: services.record(case, by=request.user, **data)):
        messages.success(request, _("The activity is recorded."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Record an activity"),
            "intro": _(
                "Your own work with the child and the family. A course of clarifying talks "
                "has one to five talks, numbered as they are recorded."
            ),
        },
    )
