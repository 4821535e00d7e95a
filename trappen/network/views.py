"""Network meetings: call one (on a case or before any case), change its invitation, print it,
write the minutes and send them to the invited; the reserved slots per district.

Every view asks `trappen.access.policy.network` (which writes the audit entry): a meeting on a
case is read through the case's policy; one before a case by its caller, the invited staff and
the district team.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.access.policy import network as network_policy
from trappen.cases.models import Case
from trappen.common import sorting as sort
from trappen.common.requests import AuthenticatedRequest
from trappen.core.network import SlotState

from . import services
from .forms import (
    BeforeCaseForm,
    ConsentForm,
    InvitationForm,
    MinutesForm,
    SlotsForm,
    participant_formset,
)
from .models import NetworkMeeting, Participant


def _meeting(request: HttpRequest, pk: int, action: Action) -> tuple[NetworkMeeting, Case | None]:
    meeting = network_policy.get_network_meeting(request.user, pk, action)
    return meeting, meeting.case


def _context(request: HttpRequest, meeting: NetworkMeeting, case: Case | None) -> dict[str, Any]:
    return {
        "case": case,
        "meeting": meeting,
        "participants": meeting.ordered_participants(),
        "may_edit": network_policy.may_edit_network_meeting(request.user, meeting),
        "recipients": list(meeting.minutes_recipients.all()),
    }


def _initial_people(case: Case) -> list[dict[str, Any]]:
    return [
        {"role": Participant.Role.CHILD, "name": case.child.full_name},
        {"role": Participant.Role.PARENT, "name": ""},
        {"role": Participant.Role.CASEWORKER, "user": case.caseworker_id},
    ]


def _edit(
    request: AuthenticatedRequest, case: Case | None, meeting: NetworkMeeting | None
) -> HttpResponse:
    before: BeforeCaseForm | None = None
    if meeting is None and case is None:
        open_slots = [
            s.slot.pk
            for s in services.calendar(network_policy.visible_slots(request.user))
            if s.state is SlotState.OPEN
        ]
        before = BeforeCaseForm(
            request.POST or None,
            districts=network_policy.callable_districts(request.user),
            slots=network_policy.visible_slots(request.user).filter(pk__in=open_slots),
        )
    if meeting is None:
        start = services.default_start(timezone.now())
        name = case.child.first_name if case is not None else _("the child")
        initial = {
            "concern_on": timezone.localdate(),
            "purpose": _("To gather the adults who know %(name)s.") % {"name": name},
            "starts_at": start,
            "ends_at": start + timedelta(hours=1, minutes=30),
            "chair": str(request.user),
            "contact_name": str(request.user),
            "signed_by": f"{request.user}, {request.user.get_profession_display()}",
        }
        form = InvitationForm(request.POST or None, initial=initial)
        people = participant_formset(
            case,
            request.POST or None,
            initial=_initial_people(case) if case is not None else _anonymous_people(request),
            team_id=request.user.team_id,
        )
    else:
        form = InvitationForm(request.POST or None, instance=meeting)
        current = [
            {"role": p.role, "name": p.name, "user": p.user_id}
            for p in meeting.ordered_participants()
        ]
        team_id = meeting.district.team_id if meeting.district else request.user.team_id
        people = participant_formset(case, request.POST or None, initial=current, team_id=team_id)
    # A booked slot gives the time: the invitation's own time fields are not needed.
    if (
        before is not None
        and before.is_bound
        and before.is_valid()
        and before.cleaned_data.get("slot")
    ):
        for name in ("starts_at", "ends_at"):
            form.fields[name].required = False
    valid = form.is_valid() and people.is_valid() and (before is None or before.is_valid())
    if request.method == "POST" and valid:
        try:
            if meeting is None:
                extra: dict[str, Any] = {}
                if before is not None:
                    extra = {
                        "district": before.cleaned_data["district"],
                        "slot": before.cleaned_data.get("slot"),
                        "child_description": before.cleaned_data["child_description"],
                    }
                data = {k: v for k, v in form.cleaned_data.items() if v is not None}
                meeting = services.call(
                    case, by=request.user, people=people.people(), **extra, **data
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
        {"case": case, "form": form, "people": people, "meeting": meeting, "before": before},
    )


def _anonymous_people(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    role = network_policy.caller_participant_role(request.user)
    return [
        {"role": Participant.Role.CHILD, "name": ""},
        {"role": Participant.Role.PARENT, "name": ""},
        {"role": role, "name": str(request.user)},
    ]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_before_case(request: AuthenticatedRequest) -> HttpResponse:
    """A professional with a concern calls a network meeting before any case exists."""
    if not network_policy.may_call_network_meeting(request.user):
        raise PermissionDenied
    return _edit(request, None, None)


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """The reserved slots of the user's districts (open, booked, released) and the meetings
    they called or are invited to."""
    if not network_policy.may_call_network_meeting(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(today, time.min))
    slots = services.calendar(
        network_policy.visible_slots(request.user).filter(starts_at__gte=since), today
    )
    meetings = network_policy.visible_network_meetings(request.user).select_related(
        "district", "case__child"
    )
    # The filter (F10 point 3): coming or held meetings, of one kind or all; whitelisted values.
    when = request.GET.get("when", "")
    when = when if when in ("upcoming", "past") else "all"
    if when == "upcoming":
        meetings = meetings.filter(starts_at__gte=since)
    elif when == "past":
        meetings = meetings.filter(starts_at__lt=since)
    kind = request.GET.get("kind", "")
    kind = kind if kind in NetworkMeeting.Kind.values else ""
    if kind:
        meetings = meetings.filter(kind=kind)
    sorting = sort.chosen(request, OVERVIEW_SORTS, "-date")
    shown = sort.order(meetings, sorting, OVERVIEW_SORTS)[:50]
    form = None
    if network_policy.may_reserve_any_slots(request.user):
        form = SlotsForm(
            request.POST or None, districts=network_policy.callable_districts(request.user)
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            made = services.reserve(
                d["district"],
                holder=request.user,
                first=d["first"],
                until=d["until"],
                at=d["at"],
                minutes=d["minutes"],
                place=d["place"],
            )
            messages.success(request, _("%(n)s slots reserved.") % {"n": len(made)})
            return redirect("network:overview")
    return render(
        request,
        "network/overview.html",
        {
            "slots": slots,
            "meetings": shown,
            "sorting": sorting,
            "when": when,
            "kind": kind,
            "kinds": NetworkMeeting.Kind.choices,
            "form": form,
            "rule_source": services.rule_source(today),
            "release_days": services.release_rule(today).release_days,
        },
    )


# The overview's sortable columns (?sort=, F10 point 3): column → fields. Never the child: a
# meeting called before a case is anonymous.
OVERVIEW_SORTS = {"date": ("starts_at",), "kind": ("kind",), "district": ("district__name",)}


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting, case = _meeting(request, pk, Action.EDIT)
    form = ConsentForm(request.POST or None, initial={"consent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(
                meeting,
                by=request.user,
                on=form.cleaned_data["consent_on"],
                note=form.cleaned_data["consent_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The parents' consent is recorded."))
            return redirect("network:invitation", pk=meeting.pk)
    return render(
        request, "network/consent.html", {**_context(request, meeting, case), "form": form}
    )


@login_required
@require_http_methods(["POST"])
def send_minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting, _case = _meeting(request, pk, Action.EDIT)
    try:
        sent = services.send_minutes(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes are sent to %(n)s invited.") % {"n": len(sent)})
    return redirect("network:minutes", pk=meeting.pk)


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
    return render(request, "network/invitation.html", _context(request, meeting, case))


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, case = _meeting(request, pk, Action.VIEW)
    return render(request, "network/minutes.html", _context(request, meeting, case))


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
