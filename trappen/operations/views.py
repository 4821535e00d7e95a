"""/healthz and /readyz: plain answers for a load balancer, no login, nothing about cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from trappen.access import policy
from trappen.common.requests import AuthenticatedRequest

from . import services
from .forms import ReminderChoiceForm
from .health import readiness


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answers requests."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """The process can serve: the database answers and every migration is applied."""
    state = readiness()
    return JsonResponse(
        {
            "ready": state.ready,
            "database": "ok" if state.database else "unreachable",
            "migrations": "ok" if state.migrations else "pending",
        },
        status=200 if state.ready else 503,
    )


@login_required
def reminder_choices(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own opt-in to reminders by e-mail."""
    choice = services.reminder_choice(request.user)
    team = getattr(request.user, "team", None)
    may_get_alerts = team is not None and policy.may(request.user, policy.Action.ASSIGN, team)
    form = ReminderChoiceForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        services.save_reminder_choice(form, may_get_alerts=may_get_alerts)
        messages.success(request, _("Your choice of reminders is saved."))
        return redirect("operations:reminder_choices")
    return render(
        request,
        "operations/reminder_choices.html",
        {"form": form, "may_get_alerts": may_get_alerts},
    )
