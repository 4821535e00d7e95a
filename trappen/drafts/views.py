"""The drafts' URLs: saved while typing (htmx), shown to their author, discarded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access.policy import drafts as policy
from trappen.cases.forms import FREE_TEXT_MAX_LENGTH
from trappen.cases.models import JournalEntry
from trappen.common.requests import AuthenticatedRequest
from trappen.security.kept import on_expired

from . import services
from .models import Draft

TEXT_LIMIT = FREE_TEXT_MAX_LENGTH  # a draft never outgrows the form it is a draft for


def _status(request: AuthenticatedRequest, draft: Draft | None) -> HttpResponse:
    return render(request, "drafts/status_line.html", {"draft": draft, "autosaved": True})


def _save_journal(request: AuthenticatedRequest, case_pk: int) -> Draft | None:
    case = policy.journal_draft_case(request.user, case_pk)
    heading = request.POST.get("heading", "")
    if heading not in JournalEntry.Heading.values:
        heading = ""
    return services.save_draft(
        request.user,
        Draft.Kind.JOURNAL,
        text=request.POST.get("text", "")[:TEXT_LIMIT],
        heading=heading,
        case=case,
    )


def _save_minutes(request: AuthenticatedRequest, meeting_pk: int) -> Draft | None:
    meeting = policy.minutes_draft_meeting(request.user, meeting_pk)
    return services.save_draft(
        request.user,
        Draft.Kind.MINUTES,
        text=request.POST.get("minutes", "")[:TEXT_LIMIT],
        meeting=meeting,
    )


def _journal_after_timeout(request: AuthenticatedRequest, case_pk: int) -> str:
    """Typed on after the idle timeout: the draft is brought up to date, and after the login
    the user goes back to the case's journal form, filled from it."""
    _save_journal(request, case_pk)
    return reverse("cases:case", args=[case_pk]) + "#journal"


def _minutes_after_timeout(request: AuthenticatedRequest, meeting_pk: int) -> str:
    _save_minutes(request, meeting_pk)
    return reverse("meetings:minutes", args=[meeting_pk])


@on_expired(_journal_after_timeout)
@login_required
@require_http_methods(["POST"])
def journal(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    """The journal note typed so far on case `case_pk`, kept as the user's draft."""
    return _status(request, _save_journal(request, case_pk))


@on_expired(_minutes_after_timeout)
@login_required
@require_http_methods(["POST"])
def minutes(request: AuthenticatedRequest, meeting_pk: int) -> HttpResponse:
    """The minutes typed so far for meeting `meeting_pk`, kept as the user's draft."""
    return _status(request, _save_minutes(request, meeting_pk))


def _form_page(draft: Draft) -> str:
    if draft.kind == Draft.Kind.JOURNAL:
        return reverse("cases:case", args=[draft.case_id]) + "#journal"
    return reverse("meetings:minutes", args=[draft.meeting_id])


@login_required
@require_http_methods(["GET"])
def show(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The user's own draft, with the way back to its form (404 for anyone else, audited)."""
    draft = policy.get_draft(request.user, pk)
    return render(request, "drafts/show.html", {"draft": draft, "form_page": _form_page(draft)})


@login_required
@require_http_methods(["POST"])
def discard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = policy.get_draft(request.user, pk)
    back = _form_page(draft)
    services.discard(draft)
    messages.info(request, _("The draft is discarded."))
    return redirect(back)
