"""The steering's simulation page (F13 point 7): a scenario (bundled or uploaded), years and
runs; the fan chart of net saving, placements by type over time, the assumptions; an Excel
download. Aggregated figures only, like the other steering pages."""

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trappen.access import policy
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.core.accounts import read_accounts
from trappen.core.interchange import InterchangeError
from trappen.core.kpi.report import CATEGORY_NAMES
from trappen.core.simulation.scenario import ScenarioError
from trappen.core.staffing import StaffingError
from trappen.evaluation import limits
from trappen.organisation.models import DistrictGroup
from trappen.simulation import business, charts, services, web, xlsx
from trappen.simulation import staffing as staffing_data
from trappen.simulation.forms import AccountsForm, PlanYearForm, SimulationForm, StaffingForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CATEGORY_LABELS = {
    "institution": gettext_lazy("Institution"),
    "family_care": gettext_lazy("Family care"),
    "home_based": gettext_lazy("Home-based"),
}


def _placements(result: dict[str, Any]) -> dict[str, Any]:
    """Placed årsbørn by category and type per year: the scenario's median and the baseline's."""
    years = result["years"]
    rows = []
    for category in ("total", *CATEGORY_NAMES):
        rows.append(
            {
                "label": _("All placed") if category == "total" else str(CATEGORY_LABELS[category]),
                "strong": True,
                "cells": [
                    (
                        y["baseline"]["placed_aarsboern"][category]["median"],
                        y["scenario"]["placed_aarsboern"][category]["median"],
                    )
                    for y in years
                ],
            }
        )
    for kind in years[0]["baseline"]["placed_aarsboern"]["by_type"]:
        rows.append(
            {
                "label": kind,
                "strong": False,
                "cells": [
                    (
                        y["baseline"]["placed_aarsboern"]["by_type"][kind]["median"],
                        y["scenario"]["placed_aarsboern"]["by_type"][kind]["median"],
                    )
                    for y in years
                ],
            }
        )
    return {"years": [y["year"] for y in years], "rows": rows}


def _page(request: HttpRequest, form: SimulationForm, status: int = 200, **extra: Any) -> Any:
    return render(request, "simulation/page.html", {"form": form, **extra}, status=status)


@login_required
def page(request: HttpRequest) -> HttpResponse:
    if not policy.may_view_steering(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _page(request, SimulationForm())
    form = SimulationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        result = web.run(form.parsed, years=data["years"], runs=data["runs"], seed=data["seed"])
    except limits.Busy as busy:
        response = _page(
            request,
            form,
            status=503,
            busy=_("The figures are being computed for other users. Try again in a moment."),
        )
        response["Retry-After"] = str(busy.retry_after)
        return response
    except (ScenarioError, ValueError) as exc:
        form.add_error(None, _("The scenario does not fit the data: %(error)s") % {"error": exc})
        return _page(request, form, status=400)
    if request.POST.get("format") == "xlsx":
        content = xlsx.to_bytes(result)
        name = f"trappen-simulering-{data['years']}aar-{data['runs']}koersler.xlsx"
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        record(AuditAction.DOWNLOAD, detail={"file": name})
        return response
    years = result["years"]
    placements = _placements(result)
    return _page(
        request,
        form,
        result=result,
        fan=charts.fan_chart(years, "net_saving", _("Net saving per year, mio. kr.")),
        cumulative=charts.fan_chart(
            years, "cumulative_net_saving", _("Cumulative net saving, mio. kr.")
        ),
        placed_chart=charts.lines_chart(
            [str(y) for y in placements["years"]],
            [
                (
                    str(CATEGORY_LABELS[c]),
                    [y["scenario"]["placed_aarsboern"][c]["median"] for y in years],
                )
                for c in CATEGORY_NAMES
            ],
            _("Placed årsbørn in the scenario by kind, median"),
        ),
        placements=placements,
        break_even=result["break_even"],
    )


@login_required
def staffing(request: HttpRequest) -> HttpResponse:
    """The staffing calculator (F13 point 6): caseworkers and PPR/health-visitor hours per
    district team from its open cases, the caseload target and the rhythm (data)."""
    if not policy.may_view_steering(request.user):
        raise PermissionDenied
    rhythm = staffing_data.default_rhythm()
    initial = {
        "caseload_target": 25,
        "hours_per_followup": rhythm.hours_per_followup,
        "caseworker_hours_per_year": int(rhythm.caseworker_hours_per_year),
    }
    form = StaffingForm(request.GET or initial)
    context: dict[str, Any] = {"form": form, "rhythm": staffing_data.rhythm_data()["rhythm"]}
    if not form.is_valid():
        return render(request, "simulation/staffing.html", context, status=400)
    data = form.cleaned_data
    chosen = replace(
        rhythm,
        hours_per_followup=float(data["hours_per_followup"]),
        caseworker_hours_per_year=float(data["caseworker_hours_per_year"]),
    )
    try:
        needs = staffing_data.team_needs(
            request.user, timezone.localdate(), float(data["caseload_target"]), chosen
        )
    except StaffingError as exc:
        form.add_error(None, str(exc))
        return render(request, "simulation/staffing.html", context, status=400)
    context["needs"] = needs
    context["total"] = {
        "open_cases": sum(n.open_cases for n in needs),
        "caseworkers": sum(n.caseworkers for n in needs),
        "caseworkers_now": sum(n.caseworkers_now for n in needs),
        "psychologist": sum(n.hours["psychologist"] for n in needs),
        "health_visitor": sum(n.hours["health_visitor"] for n in needs),
    }
    return render(request, "simulation/staffing.html", context)


@login_required
def business_case(request: HttpRequest) -> HttpResponse:
    """The business case kept (F13 point 4): the plan, the realised figures beside it and the
    difference; a plan year entered and the booked accounts imported by whom the policy lets."""
    user = request.user
    if not policy.may_view_steering(user):
        raise PermissionDenied
    editor = policy.may_edit_business_case(user)
    plan_form, accounts_form = PlanYearForm(), AccountsForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        if "accounts" in request.FILES or request.POST.get("form") == "accounts":
            accounts_form = AccountsForm(request.POST, request.FILES)
            if accounts_form.is_valid():
                try:
                    rows = read_accounts(accounts_form.cleaned_data["accounts"])
                except InterchangeError as exc:
                    problems, status = exc.report(), 400
                else:
                    services.import_accounts(user, rows)
                    return redirect("simulation:business_case")
            else:
                status = 400
        else:
            plan_form = PlanYearForm(request.POST)
            if plan_form.is_valid():
                services.save_plan_year(user, **plan_form.cleaned_data)
                return redirect("simulation:business_case")
            status = 400
    groups = list(DistrictGroup.objects.order_by("name", "pk").values_list("name", flat=True))
    group = request.GET.get("group") or None
    if group not in groups:
        group = None
    base_text = request.GET.get("base", "")
    chosen_base = int(base_text) if base_text.isdigit() and 1990 <= int(base_text) <= 2100 else None
    try:
        base, base_spending, shown = business.lines(
            timezone.localdate(), base=chosen_base, group=group
        )
        busy = None
    except limits.Busy:
        base, base_spending, shown = None, None, []
        busy = _("The figures are being computed for other users. Try again in a moment.")
        status = 503 if status == 200 else status
    return render(
        request,
        "simulation/business_case.html",
        {
            "editor": editor,
            "plan_form": plan_form,
            "accounts_form": accounts_form,
            "problems": problems,
            "base": base,
            "base_spending": base_spending,
            "lines": shown,
            "busy": busy,
            "groups": groups,
            "group": group,
        },
        status=status,
    )
