from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action

from . import services
from .forms import CompleteForm, NetworkEntryForm, StartForm
from .models import ChildInvestigation


def _investigation(request: HttpRequest, pk: int, action: Action) -> ChildInvestigation:
    investigation = policy.get_case_of(request.user, ChildInvestigation, pk, action)
    if action is Action.EDIT and not investigation.is_open:
        raise PermissionDenied  # a completed investigation is a record; it is not changed
    return investigation


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            investigation = services.start(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The child investigation is started."))
            return redirect("investigation", pk=investigation.pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Start a child investigation"),
            "intro": _("The deadline follows the rule in force on the start date (4 months)."),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = _investigation(request, pk, Action.VIEW)
    case = investigation.case
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "case": case,
            "may_edit": investigation.is_open and policy.may(request.user, Action.EDIT, case),
            "entry_form": NetworkEntryForm(),
            "complete_form": CompleteForm(),
        },
    )


@login_required
@require_http_methods(["POST"])
def add_network_entry(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = _investigation(request, pk, Action.EDIT)
    form = NetworkEntryForm(request.POST)
    valid = form.is_valid()
    if valid:
        form.instance.investigation = investigation
        with transaction.atomic():  # the entry and its audit entry together
            form.save()
        form = NetworkEntryForm()
    if request.htmx:  # type: ignore[attr-defined]
        ctx = {"investigation": investigation, "entry_form": form, "may_edit": True}
        return render(request, "investigations/network.html", ctx)
    if valid:
        messages.success(request, _("The person is added to the network map."))
        return redirect("investigation", pk=pk)
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "case": investigation.case,
            "may_edit": True,
            "entry_form": form,
            "complete_form": CompleteForm(),
        },
        status=400,
    )


@login_required
@require_http_methods(["POST"])
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = _investigation(request, pk, Action.EDIT)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete(investigation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The child investigation is completed."))
            return redirect("case", pk=investigation.case_id)
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "case": investigation.case,
            "may_edit": True,
            "entry_form": NetworkEntryForm(),
            "complete_form": form,
        },
        status=400,
    )
