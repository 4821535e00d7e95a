"""The team's duty roster page: a week view; the team leader adds and removes shifts."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted

from . import duty
from .forms import DutyShiftForm


def _monday(request: AuthenticatedRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return duty.week_of(day)


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: AuthenticatedRequest) -> HttpResponse:
    """The week's shifts of the user's team; POST (the team leader) adds one."""
    team = request.user.team
    if team is None or not policy.may_view_roster(request.user, team):
        raise PermissionDenied
    monday = _monday(request)
    may_edit = policy.may_edit_roster(request.user, team)
    form = None
    if may_edit:
        form = DutyShiftForm(
            request.POST if request.method == "POST" else None,
            team=team,
            initial={"day": max(monday, timezone.localdate()), "start": "08:00", "end": "16:00"},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if submitted(
            request,
            form,
            lambda d: duty.add_shift(team, by=request.user, **d),
        ):
            messages.success(request, _("The shift is on the roster."))
            day = form.cleaned_data["day"]
            return redirect(f"{reverse('intake:duty')}?week={duty.week_of(day).isoformat()}")
    now = timezone.now()
    return render(
        request,
        "intake/duty.html",
        {
            "team": team,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "days": duty.week_days(team, monday),
            "on_duty": duty.on_duty(team, now),
            "today": timezone.localdate(),
            "form": form,
            "may_edit": may_edit,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    shift = policy.get_shift(request.user, pk)
    week = duty.week_of(timezone.localtime(shift.starts_at).date())
    duty.remove_shift(shift)
    messages.success(request, _("The shift is removed from the roster."))
    return redirect(f"{reverse('intake:duty')}?week={week.isoformat()}")
