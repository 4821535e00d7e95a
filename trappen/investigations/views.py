from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted
from trappen.core import ics

from . import services
from .forms import (
    AreasForm,
    AwarenessForm,
    CompleteForm,
    NetworkEntryForm,
    PreliminaryForm,
    SiblingTaskForm,
    StartForm,
)
from .models import ChildInvestigation, SiblingInvestigationTask


def _investigation(request: HttpRequest, pk: int, action: Action) -> ChildInvestigation:
    investigation = policy.get_case_of(request.user, ChildInvestigation, pk, action)
    if action is Action.EDIT and not investigation.is_open:
        raise PermissionDenied  # a completed investigation is a record; it is not changed
    return investigation


@login_required
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    default = services.default_awareness(case)
    form = StartForm(request.POST or None, initial={"aware_on": default})
    started: list[ChildInvestigation] = []
    if submitted(
        request, form, lambda data: started.append(services.start(case, by=request.user, **data))
    ):
        if started[0].tier == ChildInvestigation.Tier.INVESTIGATION:
            messages.success(request, _("The child investigation is started."))
        else:
            messages.success(request, _("The step is started."))
        return redirect("investigations:investigation", pk=started[0].pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Screening, afdækning or child investigation"),
            "intro": _(
                "A child investigation is completed within 4 months of the day the municipality "
                "became aware that the child may need support (Barnets Lov § 20, stk. 3): the "
                "first notification about this child came on %(date)s."
            )
            % {"date": default.strftime("%d.%m.%Y")},
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = _investigation(request, pk, Action.VIEW)
    return _detail(request, investigation)


def _detail(
    request: HttpRequest, investigation: ChildInvestigation, status: int = 200, **forms: Any
) -> HttpResponse:
    case = investigation.case
    today = timezone.localdate()
    structured = investigation.tier == ChildInvestigation.Tier.INVESTIGATION
    profile = services.profile_of(investigation) if structured else ()
    return render(
        request,
        "investigations/detail.html",
        {
            "investigation": investigation,
            "case": case,
            "may_edit": investigation.is_open and policy.may(request.user, Action.EDIT, case),
            "preliminary_due": investigation.preliminary_due(today),
            "late": bool(investigation.clock() and investigation.clock().is_late(today)),  # type: ignore[union-attr]
            "entry_form": forms.get("entry_form") or NetworkEntryForm(),
            "complete_form": forms.get("complete_form") or CompleteForm(),
            "awareness_form": forms.get("awareness_form")
            or AwarenessForm(initial={"aware_on": investigation.aware_on}),
            "preliminary_form": forms.get("preliminary_form")
            or PreliminaryForm(initial={"made_on": today}),
            "structured": structured,
            "profile": profile,
            "framework": services.framework_of(investigation) if structured else None,
            "unassessed": ics.unassessed_sides(profile),
            "law": ics.catalogue().law,
            "areas_form": forms.get("areas_form") or _areas_form(investigation, profile),
        },
        status=status,
    )


def _areas_form(
    investigation: ChildInvestigation,
    profile: tuple[ics.SideProfile, ...] = (),
    data: Any = None,
) -> AreasForm:
    initial = {}
    for side in profile:
        for row in side.rows:
            if row.value is not None:
                initial[f"rating_{row.area.key}"] = str(row.value)
                initial[f"note_{row.area.key}"] = row.note
    return AreasForm(
        data,
        framework=services.framework_of(investigation),
        levels=ics.catalogue().levels,
        initial=initial,
    )


@login_required
@require_http_methods(["POST"])
def areas(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The structured investigation: the areas' ratings and notes (Barnets Lov § 22, stk. 1)."""
    investigation = _investigation(request, pk, Action.EDIT)
    form = _areas_form(investigation, data=request.POST)
    if submitted(
        request,
        form,
        lambda data: services.assess_areas(investigation, ratings=form.ratings(), by=request.user),
    ):
        messages.success(request, _("The areas' ratings are saved."))
        return redirect(reverse("investigations:investigation", args=[pk]) + "#areas")
    return _detail(request, investigation, 400, areas_form=form)


@login_required
@require_http_methods(["POST"])
def awareness(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the day the municipality became aware, with a reason (the deadline follows)."""
    investigation = _investigation(request, pk, Action.EDIT)
    form = AwarenessForm(request.POST)
    if submitted(request, form, lambda data: services.set_awareness(investigation, **data)):
        messages.success(request, _("The day of awareness and the deadline are changed."))
        return redirect("investigations:investigation", pk=pk)
    return _detail(request, investigation, 400, awareness_form=form)


@login_required
@require_http_methods(["POST"])
def preliminary(request: HttpRequest, pk: int) -> HttpResponse:
    """The foreløbig vurdering when the investigation is not done in 4 months (§ 20, stk. 3)."""
    investigation = _investigation(request, pk, Action.EDIT)
    form = PreliminaryForm(request.POST)
    if submitted(request, form, lambda data: services.record_preliminary(investigation, **data)):
        messages.success(request, _("The preliminary assessment is recorded."))
        return redirect("investigations:investigation", pk=pk)
    return _detail(request, investigation, 400, preliminary_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def sibling_task(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the siblings' investigation task (§ 21, stk. 2-3) with what was done."""
    task = policy.get_case_of(request.user, SiblingInvestigationTask, pk, Action.EDIT)
    form = SiblingTaskForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: services.close_sibling_task(task, by=request.user, **data),  # type: ignore[arg-type]
    ):
        messages.success(request, _("The task is closed."))
        return redirect("cases:case", pk=task.case_id)
    return render(
        request,
        "cases/form.html",
        {
            "case": task.case,
            "form": form,
            "title": _("Investigation of the siblings"),
            "intro": _(
                "The child was placed for lack of care or abuse: the siblings under 15 in the "
                "household are investigated (Barnets Lov § 21, stk. 2), unless it is obvious "
                "that there is no need (stk. 3)."
            ),
        },
    )


@login_required
@require_http_methods(["POST"])
def add_network_entry(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = _investigation(request, pk, Action.EDIT)
    form = NetworkEntryForm(request.POST)
    valid = form.is_valid()
    if valid:
        services.add_network_entry(form, investigation)
        form = NetworkEntryForm()
    if request.htmx:  # type: ignore[attr-defined]
        ctx = {"investigation": investigation, "entry_form": form, "may_edit": True}
        return render(request, "investigations/network.html", ctx)
    if valid:
        messages.success(request, _("The person is added to the network map."))
        return redirect("investigations:investigation", pk=pk)
    return _detail(request, investigation, 400, entry_form=form)


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
            return redirect("cases:case", pk=investigation.case_id)
    return _detail(request, investigation, 400, complete_form=form)
