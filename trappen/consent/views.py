from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.audit.log import note_reads
from trappen.cases.conflicts import keep_input, last_change, submitted_values
from trappen.cases.models import Case
from trappen.common import sorting as sort
from trappen.common.views import submitted

from . import services
from .forms import BreakGlassForm, ConsentForm, ShareForm, WithdrawForm
from .models import Consent, Sharing


def _form_page(request: HttpRequest, case: Case, form: object, title: str, **extra: object):
    return render(request, "cases/form.html", {"case": case, "form": form, "title": title, **extra})


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.MANAGE_CONSENT)
    form = ConsentForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if submitted(
        request, form, lambda data: services.register_consent(case, by=request.user, **data)
    ):
        messages.success(request, _("The consent is registered."))
        return redirect("cases:case", pk=pk)
    return _form_page(
        request,
        case,
        form,
        _("Register consent"),
        intro=_(
            "Consent from a custody holder to share information about the child with a "
            "profession or a named person. A consent is never deleted; it can be withdrawn."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = policy.get_case_of(request.user, Consent, pk, Action.MANAGE_CONSENT)
    case = consent.case
    # A form rendered before the withdrawal carries its version: that is a conflict, shown.
    if consent.withdrawn_on is not None and not request.POST.get("version"):
        messages.info(request, _("This consent has already been withdrawn."))
        return redirect("cases:case", pk=case.pk)
    form = WithdrawForm(request.POST or None, initial={"version": consent.version})
    conflict: dict[str, object] = {}

    def save(data: dict[str, Any]) -> None:
        services.withdraw_consent(
            consent, on=data["withdrawn_on"], by=request.user, version=data["version"]
        )

    try:
        if submitted(request, form, save, field="withdrawn_on"):
            messages.success(request, _("The consent is withdrawn."))
            return redirect("cases:case", pk=case.pk)
    except services.ConsentConflict as clash:
        form = keep_input(WithdrawForm, request.POST, clash.current.version)
        conflict = {
            "conflict": clash.current,
            "conflict_template": "consent/conflict.html",
            "last_change": last_change(clash.current),
            "yours": submitted_values(form),
        }
    return _form_page(
        request,
        case,
        form,
        _("Withdraw consent"),
        intro=str(consent),
        submit=_("Withdraw"),
        **conflict,
    )


@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.MANAGE_CONSENT)
    form = ShareForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: services.share(case, user=data["user"], by=request.user),
        field="user",
    ):
        messages.success(request, _("The case is shared."))
        return redirect("cases:case", pk=pk)
    return _form_page(
        request,
        case,
        form,
        _("Share the case"),
        intro=_(
            "The psychologist or health visitor sees the case only while a valid consent "
            "covers sharing case information with them."
        ),
    )


@login_required
@require_http_methods(["POST"])
def unshare(request: HttpRequest, pk: int) -> HttpResponse:
    sharing = policy.get_case_of(request.user, Sharing, pk, Action.MANAGE_CONSENT)
    case = sharing.case
    services.unshare(sharing, by=request.user)
    messages.success(request, _("The sharing is ended."))
    return redirect("cases:case", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for_break_glass(request.user, pk)  # 403 or 404 before any form
    if policy.may(request.user, Action.VIEW, case):
        return redirect("cases:case", pk=pk)
    form = BreakGlassForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: services.break_glass(case, user=request.user, reason=data["reason"]),
        field="reason",
    ):
        return redirect("cases:case", pk=pk)
    # The page names no child: the user has no access yet.
    return render(
        request,
        "consent/break_glass.html",
        {"form": form, "case_pk": pk, "hours": services.break_glass_hours()},
    )


@login_required
def break_glass_list(request: HttpRequest) -> HttpResponse:
    if not policy.may_list_break_glass(request.user):
        raise PermissionDenied
    sorting = sort.chosen(request, BREAK_GLASS_SORTS, "-opened")
    grants = policy.visible_break_glass(request.user).select_related("user", "case")
    shown = list(sort.order(grants, sorting, BREAK_GLASS_SORTS)[:200])
    note_reads(g.case for g in shown)  # the list names each case's child
    return render(request, "consent/break_glass_list.html", {"grants": shown, "sorting": sorting})


# The break-the-glass list's sortable columns (?sort=, F10 point 3): column → fields.
BREAK_GLASS_SORTS = {
    "opened": ("opened_at",),
    "user": ("user__last_name", "user__first_name"),
    "case": ("case_id",),
    "until": ("expires_at",),
}
