from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.cases.caseload import caseloads
from trappen.cases.forms import AssignForm
from trappen.common import sorting as sort
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted
from trappen.core import caseload as caseload_rules
from trappen.core.deadlines import NoRuleInForce
from trappen.security import ratelimit

from . import confirm, law, services
from .forms import (
    AssessmentForm,
    ConcernForm,
    NotificationForm,
    ReassessmentForm,
    ReceiptForm,
    UrgentHandledForm,
    notifier_of,
)
from .models import Notification


def _posted_cpr(request: HttpRequest) -> str | None:
    """The CPR number posted, if it is one (digits only), else None."""
    try:
        return NotificationForm.base_fields["cpr"].clean(request.POST.get("cpr", ""))
    except ValidationError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedRequest) -> HttpResponse:
    policy.require(request.user, Action.REGISTER)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = NotificationForm(request.POST or None, initial={"received_at": now})
    # Posting a CPR number asks the register whether the child is known (the form's errors
    # say so): it counts as a lookup, throttled and audited like the lookup below.
    cpr = _posted_cpr(request) if request.method == "POST" else None
    if cpr is not None:
        verdict = ratelimit.cpr_lookup(request.user)
        if not verdict.allowed:
            if verdict.first_refusal:
                record(AuditAction.LOOKUP, detail={"throttled": True, "form": "notification"})
            messages.error(request, verdict.message)
            form = NotificationForm(initial={"received_at": now})
            return render(request, "intake/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        notifier = notifier_of(data)
        try:
            notification = services.register(**data, notifier=notifier, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except NoRuleInForce:
            # E.g. a date before the rules the municipality has entered: no deadline to count.
            form.add_error(
                "received_at", _("No assessment deadline rule is in force on this date.")
            )
        else:
            if notification.case is not None:
                messages.success(
                    request, _("Registered and sent to the caseworker of the open case.")
                )
            else:
                messages.success(request, _("Registered; awaiting the team leader's assignment."))
            if policy.may(request.user, Action.VIEW, notification):
                return redirect("intake:notification", pk=notification.pk)
            return redirect("intake:new")  # another team's child: its team takes over
    if cpr is not None:
        # Refused: the answer (known or new child) was a lookup. Registered: the entry of the
        # new notification is the trace.
        policy.look_up_child(request.user, cpr, "notification")
    return render(request, "intake/register.html", {"form": form})


@login_required
@require_http_methods(["POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """While registering: is this CPR a known child? (htmx, POST only: the CPR number never
    travels in a URL.) Throttled per user and audited. The answer is what registering needs:
    for a child the user's team may read, its name (to confirm it is the right child) and
    where the notification goes; for any other child only that it is known, so name and
    district need not be typed."""
    policy.require(request.user, Action.REGISTER)
    field = NotificationForm.base_fields["cpr"]
    try:
        cpr = field.clean(request.POST.get("cpr", ""))
    except ValidationError as error:
        # Not a CPR number: the register is not asked.
        return render(request, "intake/lookup.html", {"error": error.messages[0]})
    verdict = ratelimit.cpr_lookup(request.user)
    if not verdict.allowed:
        if verdict.first_refusal:
            record(AuditAction.LOOKUP, detail={"throttled": True, "form": "lookup"})
        # htmx swaps no 4xx answer into the page: the message comes with 200 there.
        status = 200 if request.headers.get("HX-Request") == "true" else 429
        return render(request, "intake/lookup.html", {"throttled": verdict.message}, status=status)
    answer = policy.look_up_child(request.user, cpr, "lookup")
    return render(request, "intake/lookup.html", {"answer": answer})


@login_required
@require_http_methods(["GET", "POST"])
def concern(request: AuthenticatedRequest) -> HttpResponse:
    """A professional (school, day-care, PPR psychologist, health visitor) sends a
    notification from their organisation. It is registered like any notification (routing,
    deadlines, the one on duty), the receipt with its reference number is shown at once, and
    nothing about the child, its case or the routing is shown back."""
    if not policy.may_submit_concern(request.user):
        raise PermissionDenied
    form = ConcernForm(request.POST or None, initial=ConcernForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        received_at = timezone.localtime().replace(second=0, microsecond=0)
        data = dict(form.cleaned_data)
        source = ConcernForm.source_of(data["notifier_organisation"])
        notifier = notifier_of(data)
        try:
            notification = services.register(
                **data,
                received_at=received_at,
                source=source,
                notifier=notifier,
                receipt_now=True,
                by=request.user,
            )
        except NoRuleInForce:
            form.add_error(None, _("The concern could not be received; please call the team."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Receipt: your %(kind)s was received by the district team on %(day)s. "
                    "Reference number %(reference)s."
                )
                % {
                    "kind": notification.get_kind_display().lower(),
                    "day": date_format(received_at, "SHORT_DATETIME_FORMAT"),
                    "reference": notification.reference,
                },
            )
            return redirect("intake:mine")
    return render(request, "intake/concern.html", {"form": form})


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """*Mine underretninger*: what the professional sent, each with its reference number and
    status (received, assessed within 24 hours, receipt sent); no child, case or content."""
    if not policy.may_submit_concern(request.user):
        raise PermissionDenied
    rows = policy.own_submissions(request.user).select_related("notifier_organisation")
    # The filter (F10 point 3): by how far the team has come; whitelisted values.
    status = request.GET.get("status", "")
    status = status if status in MINE_STATUSES else ""
    if status:
        rows = rows.filter(assessed_at__isnull=status == "received")
    sorting = sort.chosen(request, MINE_SORTS, "-sent")
    shown = list(sort.order(rows, sorting, MINE_SORTS)[:200])
    return render(
        request, "intake/mine.html", {"rows": shown, "sorting": sorting, "status": status}
    )


MINE_STATUSES = ("received", "assessed")
# *Mine underretninger*'s sortable columns (?sort=, F10 point 3): column → fields. Not the
# status: its order would tell the notifier when the team assessed each.
MINE_SORTS = {
    "reference": ("pk",),
    "sent": ("received_at",),
    "kind": ("kind",),
    "organisation": ("notifier_organisation__name", "notifier_organisation_name"),
}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    notification = policy.get_notification(request.user, pk)
    ctx: dict[str, object] = {"notification": notification}
    if not notification.is_assessed and policy.may(request.user, Action.ASSESS, notification):
        ctx["assessment_form"] = AssessmentForm()
    if notification.urgent_open and policy.may(request.user, Action.ASSESS, notification):
        ctx["urgent_handled_form"] = UrgentHandledForm()
    if notification.child_unconfirmed and policy.may(request.user, Action.ASSIGN, notification):
        ctx["confirm_form"] = confirm.form_for(notification)  # before any assignment
    elif policy.may(request.user, Action.ASSIGN, notification):
        team = notification.child.district.team
        loads = caseloads(team)
        ctx["loads"] = loads
        ctx["cap"] = team.municipality.caseload_cap
        suggested = caseload_rules.suggest(loads)
        ctx["assign_form"] = AssignForm(initial={"caseworker": suggested}, loads=loads)
        ctx["suggested"] = suggested
    ctx |= _law_context(request, notification)
    return render(request, "intake/detail.html", ctx)


def _law_context(request: HttpRequest, notification: Notification) -> dict[str, object]:
    """The genvurdering (§ 137, stk. 1) and the receipt to a professional notifier."""
    may = policy.may(request.user, Action.ASSESS, notification)
    genvurdering = law.needs_genvurdering(notification)
    found = law.receipt(notification)
    return {
        "genvurdering": genvurdering,
        "reassessment_form": ReassessmentForm()
        if may and genvurdering and notification.reassessed_at is None
        else None,
        "receipt": found,
        "receipt_late": found is not None and found.is_late(timezone.localdate()),
        "receipt_form": ReceiptForm(initial={"sent_on": timezone.localdate()})
        if may and found is not None and found.sent_on is None
        else None,
    }


@login_required
@require_http_methods(["POST"])
def reassess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = policy.get_notification(request.user, pk, Action.ASSESS)
    form = ReassessmentForm(request.POST)
    if submitted(request, form, lambda d: law.reassess(notification, by=request.user, **d)):
        messages.success(request, _("The reassessment is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("intake:notification", pk=pk)


@login_required
@require_http_methods(["POST"])
def urgent_handled(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The urgent action is carried out: the case's *Akut* flag goes (F10 point 6 b)."""
    notification = policy.get_notification(request.user, pk, Action.ASSESS)
    form = UrgentHandledForm(request.POST)
    if submitted(
        request, form, lambda d: services.urgent_handled(notification, by=request.user, **d)
    ):
        messages.success(request, _("The urgent action is recorded as carried out."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("intake:notification", pk=pk)


@login_required
@require_http_methods(["POST"])
def receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = policy.get_notification(request.user, pk, Action.ASSESS)
    form = ReceiptForm(request.POST)
    if submitted(request, form, lambda d: law.record_receipt(notification, by=request.user, **d)):
        messages.success(request, _("The receipt to the notifier is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("intake:notification", pk=pk)


@login_required
@require_http_methods(["POST"])
def assess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = policy.get_notification(request.user, pk, Action.ASSESS)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.assess(notification, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The 24-hour assessment is recorded."))
        return redirect("intake:notification", pk=pk)
    return render(
        request,
        "intake/detail.html",
        {"notification": notification, "assessment_form": form},
        status=400,
    )


@login_required
@require_http_methods(["POST"])
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = policy.get_notification(request.user, pk, Action.ASSIGN)
    team = notification.child.district.team
    loads = caseloads(team)
    form = AssignForm(request.POST, loads=loads)
    if form.is_valid():
        try:
            case = services.assign(
                notification, caseworker=form.cleaned_data["caseworker"], by=request.user
            )
        except ValidationError as error:
            form.add_error("caseworker", error)
        else:
            messages.success(
                request, _("The case is assigned to %(name)s.") % {"name": case.caseworker}
            )
            return redirect("dashboards:team")
    return render(
        request,
        "intake/detail.html",
        {
            "notification": notification,
            "assign_form": form,
            "loads": loads,
            "cap": team.municipality.caseload_cap,
        },
        status=400,
    )
