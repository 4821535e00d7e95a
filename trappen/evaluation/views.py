"""The steering pages: the key figures of a period as tables and charts, the Excel workbook and
the printable evaluation report. Aggregated figures only: no names, CPR numbers or cases."""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trappen.access import policy
from trappen.audit.log import AuditAction, record
from trappen.evaluation import charts, kora, tables, xlsx
from trappen.evaluation.figures import Figures, Query, compute
from trappen.evaluation.forms import SteeringForm, default_data

CACHE_SECONDS = 5 * 60
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

View = Callable[..., HttpResponse]


def steering_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.may_view_steering(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def figures_for(query: Query) -> Figures:
    """The figures of `query`: computed from the whole database once, then kept for a few
    minutes, so the page, its workbook and its report agree and stay quick."""
    key = "steering:" + hashlib.sha256(repr(query).encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        from trappen.interchange.services import export_dataset

        figures = compute(export_dataset(), query)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _form(request: HttpRequest) -> SteeringForm:
    """The choices in the query string; what it leaves out, the defaults (this year so far)."""
    data = default_data(timezone.localdate())
    if {"start", "end"} & set(request.GET):
        data = {"group_by": data["group_by"], **request.GET.dict()}
    return SteeringForm(data)


def _context(form: SteeringForm) -> dict[str, Any]:
    if not form.is_valid():
        return {"form": form}
    figures = figures_for(form.query())
    built = kora.build(figures)
    drawn = charts.build(figures)
    return {
        "form": form,
        "figures": figures,
        "tables": built,
        "chapters": tables.chapters(built),
        "about": kora.about(figures),
        "source": kora.source_line(figures),
        "charts": drawn,
        "chart_ids": [spec["id"] for spec in drawn],
        "query_string": form.query_string(),
    }


@steering_view
def index(request: HttpRequest) -> HttpResponse:
    context = _context(_form(request))
    template = "evaluation/_steering.html" if request.htmx else "evaluation/index.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@steering_view
def report(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/report.html", _context(_form(request)))


@steering_view
def workbook(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, "evaluation/index.html", {"form": form}, status=400)
    query = form.query()
    figures = figures_for(query)
    content = xlsx.to_bytes(figures, kora.build(figures))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"trappen-noegletal-{query.period.start}-{query.period.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record(AuditAction.DOWNLOAD, detail={"file": name})
    return response
