"""The home pages of the roles that do not work from a caseload (F10 point 4); the policy
(trappen.access.policy.homes) says who gets which and what each panel may list."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trappen.access import policy
from trappen.access.policy import homes
from trappen.activities.models import Activity
from trappen.audit.log import note_reads
from trappen.cases.models import Case
from trappen.evaluation import limits
from trappen.evaluation.home import home_board

LISTED = 25  # rows per panel; the full lists are one link away


def _require(request: HttpRequest, kind: str) -> Any:
    if homes.home_kind(request.user) != kind:
        raise PermissionDenied
    return request.user


@login_required
def shared(request: HttpRequest) -> HttpResponse:
    """The psychologist's or health visitor's home: the cases shared with them under consent,
    their own activities on those cases, their meetings."""
    user = _require(request, "shared")
    cases = list(
        policy.visible_cases(user, break_glass=False)
        .exclude(status=Case.Status.CLOSED)
        .select_related("child", "caseworker")
        .order_by("child__last_name", "child__first_name", "pk")[:100]
    )
    activities = list(
        policy.visible_of(user, Activity)
        .filter(recorded_by=user)
        .select_related("case__child")
        .order_by("-held_on", "-pk")[:LISTED]
    )
    now = timezone.now()
    meetings = list(
        policy.attended_meetings(user)
        .filter(starts_at__gte=now - timedelta(hours=12))
        .select_related("series")
        .order_by("starts_at", "pk")[:LISTED]
    )
    note_reads([*cases, *(a.case for a in activities)])
    return render(
        request,
        "dashboards/shared.html",
        {"cases": cases, "activities": activities, "meetings": meetings},
    )


@login_required
def school(request: HttpRequest) -> HttpResponse:
    """The school or day-care contact's home: their concerns (the intake app's *Mine
    underretninger*, with reference numbers and status) and resource-centre submissions."""
    user = _require(request, "school")
    own = getattr(policy, "own_submissions", None)  # the intake app's list, where it exists
    concerns = list(own(user).order_by("-received_at", "-pk")[:LISTED]) if own else []
    submissions = list(
        homes.own_submissions_to_meetings(user).select_related("meeting__series")[:LISTED]
    )
    meetings = list(
        policy.attended_meetings(user)
        .filter(starts_at__gte=timezone.now() - timedelta(hours=12))
        .select_related("series")
        .order_by("starts_at", "pk")[:LISTED]
    )
    return render(
        request,
        "dashboards/school.html",
        {"concerns": concerns, "submissions": submissions, "meetings": meetings},
    )


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    """The data protection officer's home: lookups, break-the-glass accesses, anomalies."""
    user = _require(request, "privacy")
    lookups = list(homes.privacy_lookups(user).select_related("actor")[:LISTED])
    anomalies = list(homes.privacy_anomalies(user).select_related("actor")[:LISTED])
    grants = list(homes.privacy_break_glass(user).select_related("user")[:LISTED])
    return render(
        request,
        "dashboards/privacy.html",
        {
            "lookups": lookups,
            "anomalies": anomalies,
            "grants": grants,
            "now": timezone.now(),
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The analyst's home: key figures at a glance (counts only), the way to the steering, and
    the programme's targets (loaded after the page: `targets`)."""
    user = _require(request, "figures")
    today = timezone.localdate()
    cases = homes.key_figure_cases(user).aggregate(
        open=Count("pk", filter=~Q(status=Case.Status.CLOSED)),
        opened=Count("pk", filter=Q(opened_on__gte=today - timedelta(days=30))),
        closed=Count("pk", filter=Q(closed_on__gte=today - timedelta(days=30))),
    )
    since = timezone.now() - timedelta(days=30)
    notifications = homes.key_figure_notifications(user).aggregate(
        received=Count("pk", filter=Q(received_at__gte=since)),
        unassessed=Count("pk", filter=Q(assessed_at__isnull=True)),
    )
    return render(
        request,
        "dashboards/figures.html",
        {
            "cases": cases,
            "notifications": notifications,
            "targets": policy.may_view_steering(user),
        },
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The programme's targets with traffic lights, per district group and over time, for the
    team leader's and the analyst's home (F13 point 5). The home pages load it after they are
    shown (htmx, `dashboards/_targets.html`): its figures come from the steering's shared cache,
    computed when the data changed, and the follow-ups on time from today's due lists, so the
    page the leader lands on never waits for them. Without htmx it is a page of its own."""
    htmx = bool(getattr(request, "htmx", False))
    user = request.user
    if not policy.may_view_steering(user):
        if htmx:  # the slot stays empty
            return render(request, "evaluation/_targets.html", {"allowed": False})
        raise PermissionDenied
    context: dict[str, Any] = {"allowed": True, "home": True}
    status = 200
    try:
        context["board"] = home_board(user)
    except limits.Busy as busy:
        context["busy"] = True
        status = 503
        retry_after = busy.retry_after
    template = "evaluation/_targets.html" if htmx else "dashboards/targets.html"
    response = render(request, template, context, status=status)
    if status == 503:
        response["Retry-After"] = str(retry_after)
    return response
