"""The access report of one child, as a printable page and as a JSON file (docs/privacy.md)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from trappen.access.policy import (
    get_child_for_access_report,
    look_up_child,
    may_look_up_access_report,
)
from trappen.audit.log import record
from trappen.audit.models import AuditAction
from trappen.security import ratelimit

from .forms import FindChildForm
from .report import AccessReport, access_report


def _report(request: HttpRequest, pk: int, form: str) -> AccessReport:
    child = get_child_for_access_report(request.user, pk)
    report = access_report(child)
    # Handing out the child's data is an export; the entry names no content.
    record(AuditAction.EXPORT, child, detail={"report": "access", "format": form})
    return report


@never_cache
@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, "page")
    return render(request, "privacy/report.html", {"report": report, "child": report.child})


@never_cache
@login_required
def report_json(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, "json")
    body = json.dumps(report.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trappen-access-report-{pk}.json"'
    return response


@never_cache
@login_required
def find_child(request: HttpRequest) -> HttpResponse:
    """The way in for the data protection officer and team leaders: a CPR number → the report."""
    if not may_look_up_access_report(request.user):
        raise PermissionDenied
    form = FindChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A look into the register by CPR number: throttled like the notification form's
        # lookup, and audited (the child when found, never the number) whatever the answer.
        verdict = ratelimit.cpr_lookup(request.user)
        if not verdict.allowed:
            if verdict.first_refusal:
                record(AuditAction.LOOKUP, detail={"throttled": True, "form": "access_report"})
            messages.error(request, verdict.message)
            return render(request, "privacy/find.html", {"form": FindChildForm()}, status=429)
        answer = look_up_child(request.user, form.cleaned_data["cpr"], "access_report")
        if answer.child is not None:
            return redirect("privacy:report", pk=answer.child.pk)
        form.no_such_child()
    return render(request, "privacy/find.html", {"form": form})
