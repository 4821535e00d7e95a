"""The steering pages: the key figures of a period as tables and charts, the Excel workbook and
the printable evaluation report. Aggregated figures only: no names, CPR numbers or cases."""

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.activities.models import Activity
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.cases.models import Complaint
from trappen.core.kpi import quality as kpi_quality
from trappen.evaluation import charts, kora, limits, tables, xlsx
from trappen.evaluation.figures import Figures, Query
from trappen.evaluation.forms import SteeringForm, default_data
from trappen.evaluation.home import target_board

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

View = Callable[..., HttpResponse]


def steering_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.may_view_steering(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except limits.Busy as busy:
            return _busy(request, busy)

    return wrapped


def figures_for(query: Query) -> Figures:
    """The figures of `query`: computed from the whole database once and kept in the shared
    cache until the data changes, so the page, its workbook and its report agree and stay
    quick; `limits.Busy` when as many evaluations as allowed are running (limits.py)."""
    return limits.figures_for(query)


def _busy(request: HttpRequest, busy: limits.Busy) -> HttpResponse:
    """Every evaluation slot is taken: the form again, and "try again in a moment" (503)."""
    context = {
        "form": _form(request),
        "busy": _("The figures are being computed for other users. Try again in a moment."),
    }
    template = (
        "evaluation/_steering.html" if getattr(request, "htmx", False) else "evaluation/index.html"
    )
    response = render(request, template, context, status=503)
    response["Retry-After"] = str(busy.retry_after)
    return response


def _form(request: HttpRequest) -> SteeringForm:
    """The choices in the query string; what it leaves out, the defaults (this year so far)."""
    data = default_data(timezone.localdate())
    if {"start", "end"} & set(request.GET):
        data = {"group_by": data["group_by"], **request.GET.dict()}
    return SteeringForm(data)


def activity_table(figures: Figures) -> dict[str, Any]:
    """The professions' activities of the period (in the figures and their cache): a row per
    half-year and district group, a column per kind."""
    kinds = Activity.Kind.choices
    rows = [
        {
            "half": half.replace("H", " H"),  # "2014H1" → "2014 H1"
            "group": group,
            "cells": [counts.get(kind, 0) for kind, _label in kinds],
        }
        for half, groups in sorted(figures.after.activities.items())
        for group, counts in sorted(groups.items())
    ]
    return {"rows": rows, "kinds": [label for _kind, label in kinds]}


def quality_table(figures: Figures) -> dict[str, Any] | None:
    """The quality panel (F8 point 8): caseworker changes and complaints by kind and outcome,
    a row per team and the total, from the figures' cache (`Query.quality`)."""
    quality = figures.quality
    if quality is None:
        return None
    kinds = [k for k, _label in Complaint.Kind.choices]
    outcomes = [o for o, _label in Complaint.Outcome.choices]
    rulings = [r for r, _label in Complaint.Ruling.choices]
    rows = []
    for team in [*quality.teams, kpi_quality.TOTAL]:
        complaints = quality.complaints.get(team, kpi_quality.ComplaintFigures(count=0))
        rows.append(
            {
                "team": team,
                "is_total": team == kpi_quality.TOTAL,
                "changes": quality.changes.get(team),
                "complaints": complaints.count,
                "kinds": [complaints.by_kind.get(k, 0) for k in kinds],
                "outcomes": [complaints.by_outcome.get(o, 0) for o in outcomes],
                "open": complaints.by_outcome.get("", 0),
                "rulings": [complaints.by_ruling.get(r, 0) for r in rulings],
                "overturned_share": complaints.overturned_share,
            }
        )
    return {
        "rows": rows,
        "period": quality.period,
        "kinds": [label for _k, label in Complaint.Kind.choices],
        "outcomes": [label for _o, label in Complaint.Outcome.choices],
        "rulings": [label for _r, label in Complaint.Ruling.choices],
    }


def _context(form: SteeringForm, request: HttpRequest | None = None) -> dict[str, Any]:
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
        "activities": activity_table(figures),
        "targets": target_board(request.user, figures) if request is not None else None,
        "quality": quality_table(figures) if request is not None else None,
    }


@steering_view
def index(request: HttpRequest) -> HttpResponse:
    context = _context(_form(request), request)
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


# The methods behind the comparison's intervals and p-values, linked from the page and report.
STATISTICS_DOC = Path(settings.BASE_DIR).parent / "docs" / "statistics.md"


@steering_view
def statistics(request: HttpRequest) -> HttpResponse:
    """docs/statistics.md as text (it is written in Markdown, readable as it is)."""
    try:
        text = STATISTICS_DOC.read_text(encoding="utf-8")
    except OSError as exc:  # an installation without the docs folder
        raise Http404 from exc
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
