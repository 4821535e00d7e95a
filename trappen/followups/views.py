from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.audit.log import note_reads
from trappen.casefile import deadlines as case_deadlines
from trappen.common import sorting as sort
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted
from trappen.measures.models import Episode
from trappen.plans.models import ActionPlanRevision

from . import calendar, duelist, feeds, rhythm_change, services
from .forms import ExceptionForm, FollowUpForm, ReportForm
from .models import CalendarFeed, FollowUpException
from .schedule import Rules, needs_rhythm_decision, plans_for


def _episode(request: HttpRequest, pk: int, action: Action) -> Episode:
    return policy.get_case_of(request.user, Episode, pk, action, select_related=("intervention",))


@login_required
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk, Action.EDIT)
    rules = Rules.load()
    form = FollowUpForm(
        request.POST or None,
        initial={"held_on": timezone.localdate()},
        needs_decision=needs_rhythm_decision(episode, rules),
        goals=current_goals(request.user, episode.case),
    )
    if submitted(
        request,
        form,
        lambda data: services.record(episode, by=request.user, **form.for_service(data)),
    ):
        if form.cleaned_data["plan_review"] == "changed":
            messages.success(request, _("The follow-up is recorded. Now revise the action plan."))
            return redirect("plans:revise", pk=episode.case_id)
        messages.success(request, _("The follow-up is recorded."))
        return redirect("cases:case", pk=episode.case_id)
    plans = plans_for(episode, timezone.localdate(), rules)
    return render(
        request,
        "followups/record.html",
        {
            "episode": episode,
            "case": episode.case,
            "form": form,
            "plans": plans,
            "needs_decision": form.needs_decision,
            "report_form": ReportForm() if plans.model and _has_reports(plans) else None,
        },
    )


def current_goals(user: Any, case: Any) -> list[Any]:
    """The SMART goals of the action plan's current revision, rated at every follow-up."""
    revisions = policy.visible_of(user, ActionPlanRevision, "plan__case")
    revision = revisions.filter(plan__case=case).order_by("-number").first()
    return list(revision.goals.all()) if revision else []


def _has_reports(plans: Any) -> bool:
    return any(d.kind == "report" for d in plans.model.dues)


@login_required
@require_http_methods(["POST"])
def record_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A status report received from the provider (the family centre's at 8 months)."""
    episode = _episode(request, pk, Action.EDIT)
    form = ReportForm(request.POST)
    if submitted(
        request, form, lambda data: services.record_report(episode, by=request.user, **data)
    ):
        messages.success(request, _("The provider's status report is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("cases:case", pk=episode.case_id)


@login_required
@require_http_methods(["POST"])
def approve_exception(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk, Action.APPROVE_EXCEPTION)
    form = ExceptionForm(request.POST)

    approved: list[FollowUpException] = []

    def save(data: dict[str, Any]) -> None:
        approved.append(services.approve_exception(episode, by=request.user, **data))

    if submitted(request, form, save):
        change = rhythm_change.of_exception(episode, approved[0], timezone.localdate())
        messages.success(request, _("The exception is approved.") + " " + change.describe())
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("cases:case", pk=episode.case_id)


@login_required
@require_http_methods(["POST"])
def withdraw_exception(request: HttpRequest, pk: int) -> HttpResponse:
    exception = policy.get_case_of(
        request.user, FollowUpException, pk, Action.APPROVE_EXCEPTION, select_related=("episode",)
    )
    episode = exception.episode
    services.withdraw_exception(exception, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The exception is withdrawn."))
    return redirect("cases:case", pk=episode.case_id)


@login_required
def my_due(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    due = duelist.for_caseworker(request.user, today)
    sorting = sort.chosen(request, DUE_SORTS, "next_due")
    due = duelist.MyDueList(
        *(sort.sort_rows(rows, sorting, DUE_SORTS) for rows in (due.overdue, due.soon, due.later))
    )
    note_reads(r.case for r in [*due.overdue, *due.soon, *due.later])
    # One truth (F10 point 5): every open deadline of my cases, not only the follow-ups.
    cases = list(policy.own_open_cases(request.user).select_related("child"))
    found = case_deadlines.open_deadlines(cases, [*due.overdue, *due.soon, *due.later])
    all_deadlines = sorted(
        ((d, case) for case in cases for d in found[case.pk]), key=lambda pair: pair[0].sort_key
    )
    note_reads(cases)
    feed = CalendarFeed.objects.select_related("user").filter(user=request.user).first()
    return render(
        request,
        "followups/my_due.html",
        {
            "due": due,
            "all_deadlines": all_deadlines,
            "today": today,
            "feed": feed,
            "soon_days": duelist.SOON_DAYS,
            "sorting": sorting,
        },
    )


# The due lists' sortable columns (?sort=, F10 point 3): column → the row's value.
DUE_SORTS: dict[str, Callable[[duelist.DueRow], Any]] = {
    "child": lambda r: (r.case.child.last_name, r.case.child.first_name, r.case.pk),
    "measure": lambda r: (r.episode.intervention.step_id, str(r.episode.intervention)),
    "next_due": lambda r: r.plans.next_due,
    "last_held": lambda r: r.last_held,
    "agreed": lambda r: r.next_agreed,
    "caseworker": lambda r: (str(r.case.caseworker or ""), r.case.child.last_name),
}


@login_required
def team_due(request: HttpRequest) -> HttpResponse:
    team = request.user.team  # type: ignore[union-attr]
    if team is None:
        raise Http404
    policy.require(request.user, Action.ASSIGN, team)  # the team leader's view
    overview = duelist.for_team(request.user, team, timezone.localdate())  # type: ignore[arg-type]
    sorting = sort.chosen(request, DUE_SORTS, "caseworker")
    overview.overdue = sort.sort_rows(overview.overdue, sorting, DUE_SORTS)
    note_reads(r.case for r in overview.overdue)
    return render(
        request,
        "followups/team_due.html",
        {"team": team, "overview": overview, "sorting": sorting},
    )


@login_required
@require_http_methods(["POST"])
def calendar_token(request: AuthenticatedRequest) -> HttpResponse:
    """Make a new calendar address, the old one stopping at once, and show it this once (only
    its hash is kept); or, with `stop`, stop the address."""
    if "stop" in request.POST:
        feeds.stop(request.user)
        messages.success(request, _("Your calendar address is stopped."))
        return redirect("followups:my_due")
    token = feeds.issue(request.user)
    url = request.build_absolute_uri(reverse("followups:calendar_feed", args=[token]))
    response = render(request, "followups/calendar_address.html", {"feed_url": url})
    response["Cache-Control"] = "no-store"
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed. No login: the unguessable token is the credential, as calendars need.
    Unknown, replaced, stopped or no longer valid for the account: the same 404. The token is
    kept out of the logs by trappen.followups.logging."""
    feed = CalendarFeed.find(token)
    if feed is None:
        raise Http404
    body = calendar.feed_for(feed.user, timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
