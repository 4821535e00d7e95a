"""Network meetings on a case: call one, change its invitation, print it, write the minutes.

Every view reads the case through the policy (which writes the audit entry): reading the
invitation and the minutes needs case read access, changing them the right to edit the case.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import Case
from trappen.common.requests import AuthenticatedRequest

from . import services
from .forms import InvitationForm, MinutesForm, participant_formset
from .models import NetworkMeeting, Participant


def _meeting(request: HttpRequest, pk: int, action: Action) -> tuple[NetworkMeeting, Case]:
    meeting = policy.get_case_of(request.user, NetworkMeeting, pk, action)
    return meeting, meeting.case


def _initial_people(case: Case) -> list[dict[str, Any]]:
    return [
        {"role": Participant.Role.CHILD, "name": case.child.full_name},
        {"role": Participant.Role.PARENT, "name": ""},
        {"role": Participant.Role.CASEWORKER, "user": case.caseworker_id},
    ]


def _edit(
    request: AuthenticatedRequest, case: Case, meeting: NetworkMeeting | None
) -> HttpResponse:
    if meeting is None:
        start = services.default_start(timezone.now())
        initial = {
            "concern_on": timezone.localdate(),
            "purpose": _("To gather the adults who know %(name)s.")
            % {"name": case.child.first_name},
            "starts_at": start,
            "ends_at": start + timedelta(hours=1, minutes=30),
            "chair": str(request.user),
            "contact_name": str(request.user),
            "signed_by": f"{request.user}, {request.user.get_profession_display()}",
        }
        form = InvitationForm(request.POST or None, initial=initial)
        people = participant_formset(case, request.POST or None, initial=_initial_people(case))
    else:
        form = InvitationForm(request.POST or None, instance=meeting)
        current = [
            {"role": p.role, "name": p.name, "user": p.user_id}
            for p in meeting.ordered_participants()
        ]
        people = participant_formset(case, request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid() and people.is_valid():
        try:
            if meeting is None:
                meeting = services.call(
                    case, by=request.user, people=people.people(), **form.cleaned_data
                )
            else:
                services.change(meeting, people=people.people(), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation is saved."))
            return redirect("network:invitation", pk=meeting.pk)
    return render(
        request,
        "network/edit.html",
        {"case": case, "form": form, "people": people, "meeting": meeting},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    return _edit(request, case, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting, case = _meeting(request, pk, Action.EDIT)
    return _edit(request, case, meeting)


@login_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, case = _meeting(request, pk, Action.VIEW)
    return render(
        request,
        "network/invitation.html",
        {
            "case": case,
            "meeting": meeting,
            "participants": meeting.ordered_participants(),
            "may_edit": policy.may(request.user, Action.EDIT, case),
        },
    )


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, case = _meeting(request, pk, Action.VIEW)
    return render(
        request,
        "network/minutes.html",
        {
            "case": case,
            "meeting": meeting,
            "participants": meeting.ordered_participants(),
            "may_edit": policy.may(request.user, Action.EDIT, case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, case = _meeting(request, pk, Action.EDIT)
    form = MinutesForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_minutes(meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("network:minutes", pk=meeting.pk)
    return render(
        request, "network/minutes_edit.html", {"case": case, "form": form, "meeting": meeting}
    )
