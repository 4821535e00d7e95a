from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy.wellbeing import may_record_sdq
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted

from . import services
from .forms import SdqForm


@login_required
@require_http_methods(["GET", "POST"])
def sdq_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Enter a filled-in SDQ item by item; nothing is stored until every answer is right."""
    case = policy.get_case(request.user, pk)
    if not may_record_sdq(request.user, case):
        raise PermissionDenied
    form = SdqForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    if submitted(
        request, form, lambda _data: services.record(case, by=request.user, **form.service_data())
    ):
        messages.success(request, _("The SDQ is recorded."))
        return redirect("cases:case", pk=pk)
    return render(request, "wellbeing/sdq_form.html", {"case": case, "form": form})
