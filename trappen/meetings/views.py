from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import drafts as drafts_policy
from trappen.access.policy import meetings as meetings_policy
from trappen.audit.log import note_read
from trappen.common import sorting as sort
from trappen.common.views import submitted
from trappen.drafts.forms import autosaving
from trappen.drafts.models import Draft
from trappen.organisation.models import User

from . import services
from .calendar import team_events
from .forms import (
    AgreementForm,
    CoordinatorForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    ParentsCalledForm,
    ParentsInformedForm,
    ParticipantForm,
    SeriesForm,
    SubmissionForm,
)
from .models import Series, Submission

CALENDAR_WEEKS = 8


def _team_id(request: HttpRequest) -> int:
    user: Any = request.user
    if not policy.is_team_member(user, user.team_id):
        raise PermissionDenied
    return int(user.team_id)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    team_id = _team_id(request)
    # The filter (F10 point 3): coming or held meetings, of one kind or all; whitelisted values.
    when = request.GET.get("when", "")
    when = when if when in MEETING_WHEN else "upcoming"
    kind = request.GET.get("kind", "")
    kind = kind if kind in Series.Kind.values else ""
    cutoff = timezone.now() - timedelta(hours=3)
    meetings = policy.visible_meetings(request.user).select_related(
        "series__school", "series__team", "chair"
    )
    if when == "upcoming":
        meetings = meetings.filter(starts_at__gte=cutoff)
    elif when == "past":
        meetings = meetings.filter(starts_at__lt=cutoff)
    if kind:
        meetings = meetings.filter(series__kind=kind)
    sorting = sort.chosen(request, MEETING_SORTS, "-date" if when == "past" else "date")
    return render(
        request,
        "meetings/list.html",
        {
            "meetings": sort.order(meetings, sorting, MEETING_SORTS)[:50],
            "sorting": sorting,
            "when": when,
            "kind": kind,
            "kinds": Series.Kind.choices,
            "series": policy.visible_series(request.user).select_related("school"),
            "may_plan": policy.may_plan(request.user, team_id=team_id),
        },
    )


MEETING_WHEN = ("upcoming", "past", "all")
# The meeting list's sortable columns (?sort=, F10 point 3): column → fields.
MEETING_SORTS = {
    "date": ("starts_at",),
    "meeting": ("series__kind", "series__school__name"),
    "place": ("place",),
    "chair": ("chair__last_name", "chair__first_name"),
}


@login_required
def team_calendar(request: HttpRequest) -> HttpResponse:
    _team_id(request)  # team members only
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(weeks=CALENDAR_WEEKS) - timedelta(days=1)
    weeks: list[dict[str, Any]] = []
    events = team_events(request.user, start, end)
    for n in range(CALENDAR_WEEKS):
        monday = start + timedelta(weeks=n)
        sunday = monday + timedelta(days=6)
        weeks.append(
            {
                "monday": monday,
                "number": monday.isocalendar().week,
                "events": [e for e in events if monday <= timezone.localdate(e.start) <= sunday],
            }
        )
    return render(request, "meetings/calendar.html", {"weeks": weeks, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest) -> HttpResponse:
    team_id = _team_id(request)
    if not policy.may_plan(request.user, team_id=team_id):
        raise PermissionDenied
    user: Any = request.user
    form = SeriesForm(request.POST or None, team_id=team_id)
    created: list[Any] = []

    def save(data: dict[str, Any]) -> None:
        if data["kind"] == Series.Kind.INTERNAL:
            series = services.create_internal_series(user.team, place=data["place"])
        else:
            series = services.create_resource_centre_series(data["school"], place=data["place"])
        created.extend(services.plan(series, data["first"], data["until"], data["at"]))

    if submitted(request, form, save):
        messages.success(request, _("%(count)s meetings are planned.") % {"count": len(created)})
        return redirect("meetings:list")
    return render(request, "meetings/series_new.html", {"form": form})


def _agenda(request: HttpRequest, meeting: Any) -> list[services.ShownItem]:
    """The agenda as `request.user` sees it; every item naming a child is a read of its case
    in the audit log (docs/audit.md), on every page that shows the agenda."""
    items = services.agenda(meeting, request.user)
    for shown in items:
        if shown.named and shown.item.case is not None:
            note_read(shown.item.case)
    return items


def _page(request: HttpRequest, meeting: Any, **extra: Any) -> HttpResponse:
    items = _agenda(request, meeting)
    school_side = meetings_policy.is_school_side(request.user, meeting)
    context = {
        "school_side": school_side,
        "may_order": meetings_policy.may_order_agenda(request.user, meeting),
        "parents_form": ParentsInformedForm(),
        "parents_called_form": ParentsCalledForm(),
        "may_send_minutes": meetings_policy.may_send_minutes(request.user, meeting),
        "minutes_recipients": meeting.minutes_recipients.select_related("sent_by"),
        "meeting": meeting,
        "series": meeting.series,
        "items": items,
        "participants": meeting.participants.select_related("user"),
        "agreements": services.agreements_for(meeting),
        "may_plan": policy.may_plan(request.user, meeting.series),
        "may_edit_meeting": policy.may_edit_meeting(request.user, meeting),
        "may_write_minutes": policy.may_open_minutes(
            request.user, meeting, [shown.item for shown in items]
        ),
        "agreement_form": AgreementForm(),
        "participant_form": ParticipantForm(users=_staff(meeting)),
        "coordinator_form": CoordinatorForm(
            initial={"coordinator": meeting.series.coordinator_id},
            people=_coordinators(meeting),
        ),
        **extra,
    }
    if school_side:  # the agenda, its participants and agreements; only the school's
        # coordinator writes and sends the minutes (the policy says so)
        for name in ("may_plan", "may_edit_meeting"):
            context[name] = False
    return render(request, "meetings/meeting.html", context)


def _staff(meeting: Any) -> Any:
    return User.objects.filter(team_id=meeting.series.team_id, is_active=True).exclude(
        profession__in=["school", "analyst", "administrator", "data_protection"]
    )


def _coordinators(meeting: Any) -> Any:
    """Who may be named coordinator: the team's staff, and the school's contacts."""
    people = _staff(meeting)
    if meeting.series.school_id:
        people = people | meeting.series.school.contacts.filter(is_active=True)
    return people.distinct().order_by("first_name", "last_name", "pk")


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting and its agenda: the team's members, and the school's contacts of a
    resource-centre meeting (Herningmodellen 1.0: the schools have the overall responsibility)."""
    return _page(request, meetings_policy.get_agenda_meeting(request.user, pk))


@login_required
@require_http_methods(["POST"])
def coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    """The team leader names the series' coordinator, e.g. the school's own coordinator."""
    found = policy.get_meeting(request.user, pk)
    policy.require_plan(request.user, found.series)
    form = CoordinatorForm(request.POST, people=_coordinators(found))
    if form.is_valid():
        try:
            services.set_coordinator(found.series, form.cleaned_data["coordinator"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The coordinator is saved."))
    else:
        messages.error(request, _("Choose the coordinator."))
    return redirect("meetings:meeting", pk=found.pk)


@login_required
@require_http_methods(["POST"])
def item_parents(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the parents were informed about an item about their child."""
    item = meetings_policy.get_agenda_item(request.user, pk)
    form = ParentsInformedForm(request.POST)
    if form.is_valid():
        try:
            services.record_parents_informed(
                item,
                on=form.cleaned_data["informed_on"],
                by=request.user,  # type: ignore[arg-type]
                remarks=form.cleaned_data["remarks"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The parents' information is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("meetings:meeting", pk=item.meeting_id)


@login_required
@require_http_methods(["POST"])
def item_parents_called(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the parents were called on the day of the meeting (the second step)."""
    item = meetings_policy.get_agenda_item(request.user, pk)
    form = ParentsCalledForm(request.POST)
    if form.is_valid():
        try:
            services.record_parents_called(
                item,
                on=form.cleaned_data["called_on"],
                by=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The call to the parents is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("meetings:meeting", pk=item.meeting_id)


@login_required
@require_http_methods(["POST"])
def minutes_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the decision minutes to the participants, each recipient recorded."""
    found = meetings_policy.get_minutes_meeting(request.user, pk)
    if not meetings_policy.may_send_minutes(request.user, found):
        raise PermissionDenied
    try:
        sent = services.send_minutes(found, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sent:
            messages.success(
                request,
                _("The minutes are sent to %(count)s participants.") % {"count": len(sent)},
            )
        else:
            messages.info(request, _("Every participant has already received the minutes."))
    return redirect("meetings:meeting", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_meeting(request.user, pk)
    if not policy.may_edit_meeting(request.user, found):
        raise PermissionDenied  # the chair, the team leader, the coordinator
    start = timezone.localtime(found.starts_at)
    initial = {
        "day": start.date(),
        "at": start.time(),
        "minutes_long": int((found.ends_at - found.starts_at).total_seconds() // 60),
        "place": found.place,
        "chair": found.chair,
    }
    form = MeetingForm(request.POST or None, initial=initial, chairs=_staff(found))

    def save(data: dict[str, Any]) -> None:
        services.plan_meeting(found, data)

    if submitted(request, form, save):
        messages.success(request, _("The meeting is saved."))
        return redirect("meetings:meeting", pk=found.pk)
    return render(request, "meetings/form.html", {"meeting": found, "form": form,
                                                  "heading": _("Plan the meeting")})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_meeting(request.user, pk)
    cases = policy.nameable_cases(request.user, found)  # never one opened by break-the-glass
    form = ItemForm(request.POST or None, cases=cases.order_by("pk"))

    def save(data: dict[str, Any]) -> None:
        services.add_item(found, **data)

    if submitted(request, form, save):
        messages.success(request, _("The item is on the agenda."))
        return redirect("meetings:meeting", pk=found.pk)
    return render(request, "meetings/form.html", {"meeting": found, "form": form,
                                                  "heading": _("Add an agenda item")})  # fmt: skip


@login_required
@require_http_methods(["POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_meeting(request.user, pk)
    form = ParticipantForm(request.POST, users=_staff(found))

    def save(data: dict[str, Any]) -> None:
        services.add_participant(found, user=data["user"], name=data["name"], role=data["role"])

    if submitted(request, form, save):
        messages.success(request, _("The participant is added."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("meetings:meeting", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    # The team's members, and the school's coordinator of a resource-centre meeting.
    found = meetings_policy.get_minutes_meeting(request.user, pk)
    items = _agenda(request, found)
    if not policy.may_open_minutes(request.user, found, [shown.item for shown in items]):
        raise PermissionDenied  # the chair, the team leader and the authors write the minutes
    form = MinutesForm(
        request.POST or None,
        initial={"minutes": found.minutes},
        items=items,
        may_write_minutes=policy.may_write_minutes(request.user, found),
        may_write_decision=lambda item: policy.may_write_decision(request.user, item),
    )
    draft = None
    if policy.may_write_minutes(request.user, found):  # the minutes saved as a draft meanwhile
        draft = drafts_policy.own_draft(request.user, Draft.Kind.MINUTES, meeting=found)
        autosaving(form, reverse("drafts:minutes", args=[found.pk]), ("minutes",), draft)

    def save(data: dict[str, Any]) -> None:
        services.record_minutes(
            found,
            minutes=data["minutes"],
            decisions=form.decisions(),
            by=request.user,  # type: ignore[arg-type]
        )

    if submitted(request, form, save):
        messages.success(request, _("The minutes are saved."))
        return redirect("meetings:meeting", pk=found.pk)
    return render(request, "meetings/minutes.html", {"meeting": found, "form": form,
                                                     "items": items, "draft": draft})  # fmt: skip


@login_required
@require_http_methods(["POST"])
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_meeting(request.user, pk)
    form = AgreementForm(request.POST)
    if submitted(request, form, lambda data: services.add_agreement(found, **data)):
        messages.success(request, _("The agreement is recorded."))
    else:
        messages.error(request, _("Give who, what and by when."))
    return redirect("meetings:meeting", pk=found.pk)


@login_required
@require_http_methods(["POST"])
def agreement_close(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = policy.get_agreement(request.user, pk)  # 404 outside the user's team
    raw = request.POST.get("meeting") or str(agreement.made_at_id)
    try:
        meeting_pk = int(raw)
    except ValueError:
        raise BadRequest("meeting is not a number") from None
    at = policy.get_meeting(request.user, meeting_pk)
    try:
        services.close_agreement(agreement, at=at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is closed."))
    return redirect("meetings:meeting", pk=at.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_order(request: HttpRequest, pk: int) -> HttpResponse:
    found = meetings_policy.get_agenda_meeting(request.user, pk)
    if not meetings_policy.may_order_agenda(request.user, found):
        raise PermissionDenied  # the coordinator (the school's own, too) and the team leader
    if request.method == "POST":
        moved = request.POST.get("up") or request.POST.get("down")
        if moved:
            try:
                services.move(found, int(moved), up=bool(request.POST.get("up")))
            except (ValueError, ValidationError):
                messages.error(request, _("The item is not on this agenda."))
            return redirect("meetings:agenda_order", pk=found.pk)
        if request.POST.get("reset"):
            services.reset_order(found)
            messages.success(request, _("The agenda follows the priority rule again."))
            return redirect("meetings:meeting", pk=found.pk)
        positions = []
        for item in found.items.all():
            raw = request.POST.get(f"position_{item.pk}", "")
            if raw.strip().isdigit():
                positions.append((int(raw), item.pk))
        services.reorder(found, [pk for _position, pk in sorted(positions)])
        messages.success(request, _("The agenda order is saved."))
        return redirect("meetings:meeting", pk=found.pk)
    items = _agenda(request, found)
    return render(request, "meetings/order.html", {"meeting": found, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.may_submit(user):
        raise PermissionDenied
    schools = user.schools.all()
    form = SubmissionForm(request.POST or None, schools=schools)
    result: list[services.Submitted] = []

    def save(data: dict[str, Any]) -> None:
        result.append(services.submit(data.pop("school"), by=user, **data))

    if submitted(request, form, save):
        done = result[0]
        if done.message:
            messages.warning(request, done.message)
        else:
            messages.success(
                request,
                _("Submitted to the meeting on %(day)s.")
                % {"day": date_format(done.submission.meeting.day, "SHORT_DATE_FORMAT")},
            )
        return redirect("meetings:submit")
    mine = Submission.objects.filter(submitted_by=user).select_related("meeting", "school")[:20]
    since = timezone.now() - timedelta(days=31)
    agendas = (
        meetings_policy.school_meetings(user)
        .filter(starts_at__gte=since)
        .select_related("series__school")
        .order_by("starts_at", "pk")[:12]
    )
    return render(
        request,
        "meetings/submit.html",
        {"form": form, "mine": mine, "schools": schools, "agendas": agendas},
    )
