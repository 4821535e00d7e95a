from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.access.policy import drafts as drafts_policy
from trappen.access.policy import quality as quality_policy
from trappen.audit.log import note_reads
from trappen.casefile import deadlines as case_deadlines
from trappen.casefile.compose import compose
from trappen.common import sorting as sort
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted
from trappen.drafts.forms import autosaving
from trappen.drafts.models import Draft
from trappen.intake.models import with_urgent_flag
from trappen.security.kept import keeps_input

from . import services
from .caseload import caseloads
from .conflicts import keep_input, last_change, submitted_values
from .forms import (
    AssignForm,
    CloseForm,
    ComplaintForm,
    ComplaintOutcomeForm,
    EarlyStepForm,
    HandoverForm,
    JournalForm,
    TransferForm,
    VersionedForm,
)
from .models import Case, Transfer
from .overview import child_step, with_current_step


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = policy.visible_cases(request.user).select_related("child", "caseworker")
    status = request.GET.get("status", "open")
    if status == "open":
        cases = cases.exclude(status=Case.Status.CLOSED)
    elif status in Case.Status.values:
        cases = cases.filter(status=status)
    sorting = sort.chosen(request, CASE_LIST_SORTS, "child")
    ordered = sort.order(with_urgent_flag(with_current_step(cases)), sorting, CASE_LIST_SORTS)
    page = Paginator(ordered, 50).get_page(request.GET.get("page"))
    note_reads(page.object_list)  # the rows shown; the queryset caches them for the template
    return render(
        request,
        "cases/list.html",
        {"page": page, "status": status, "statuses": Case.Status.choices, "sorting": sorting},
    )


# The case list's sortable columns (?sort=, F10 point 3): column → fields.
CASE_LIST_SORTS = {
    "child": ("child__last_name", "child__first_name"),
    "status": ("status",),
    "step": ("current_step",),
    "caseworker": ("caseworker__last_name", "caseworker__first_name"),
}


def _panel_rows(panels: Any) -> list[Any]:
    """The follow-up plans the case page's follow-up panel has made (no second planning)."""
    for panel in panels:
        if panel.template == "followups/panels/case.html":
            return list(panel.context.get("rows", []))
    return []


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = policy.get_case(request.user, pk)  # decides the access and audits the read
    except Http404:
        # "Ingen adgang" with break-the-glass and whom to call; policy.no_access decides who
        # may learn that the case exists (404 for no such case only to them).
        help = policy.no_access(request.user, pk)
        return render(request, "cases/no_access.html", {"help": help}, status=403)
    casefile = compose(case, request.user)
    loaded = casefile.loaded  # the case's rows, read once for the panels, timeline and page
    assert loaded is not None
    pending = loaded.pending_transfer
    ctx = {
        "case": case,
        "child": case.child,
        "step": child_step(case.child, episodes=loaded.child_episodes),
        # One truth (F10 point 5): core.open_deadlines over the rows the page has read.
        "deadlines": case_deadlines.for_loaded(loaded, _panel_rows(casefile.panels)),
        "timeline": casefile.timeline,
        "panels": casefile.panels,
        "active_episodes": loaded.active_episodes(),
        "open_investigation": next(
            (i for i in loaded.investigations if i.completed_on is None), None
        ),
        "may_edit": policy.may(request.user, Action.EDIT, case),
        "pending_transfer": pending,
        "may_receive": pending is not None and policy.may(request.user, Action.ASSIGN, case),
        "journal_form": _journal_form(request, case),
        "complaints": loaded.complaints,
        # "Ja, akut" not yet carried out (F10 point 6 b), from the notifications already read.
        "urgent": [n for n in loaded.notifications if n.urgent_open],
        "may_complain": quality_policy.may_register_complaint(request.user, case),
    }
    return render(request, "cases/detail.html", ctx)


def _journal_form(request: HttpRequest, case: Case) -> JournalForm:
    """The journal form, saving the note as the user's draft while they type and filled from
    the draft they left (F10 point 2); only for those who may write the journal."""
    form = JournalForm()
    if policy.may(request.user, Action.EDIT, case):
        draft = drafts_policy.own_draft(request.user, Draft.Kind.JOURNAL, case=case)
        url = reverse("drafts:journal", args=[case.pk])
        autosaving(form, url, ("heading", "text"), draft)
        form.draft = draft  # type: ignore[attr-defined]
    return form


@keeps_input(JournalForm)  # a note sent after the idle timeout is offered again with its labels
@login_required
@require_http_methods(["POST"])
def journal_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    form = JournalForm(request.POST)
    if form.is_valid():
        services.add_journal_entry(form, case=case, author=request.user)
        messages.success(request, _("The journal entry is saved."))
    elif form.data.get("text") and "text" in form.errors:  # typed, but too long
        messages.error(request, str(form.errors["text"][0]))
    else:
        messages.error(request, _("The journal entry needs a heading and a text."))
    return redirect("cases:case", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def early_step_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    form = EarlyStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_early_step(case, request.user, form.cleaned_data)
        messages.success(request, _("The early step is recorded."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Record an early step"),
            "intro": _(
                "Support before and without a child investigation: network meetings, joint "
                "home visits, the psychologist's clarifying talks, needs visits, early support."
            ),
        },
    )


def _conflict(case: Case, form: Any) -> dict[str, Any]:
    """What the conflict page shows: the case now (and who changed it last) and the editor's
    own input, kept in the form below."""
    return {
        "conflict": case,
        "conflict_template": "cases/conflict.html",
        "last_change": last_change(case),
        "pending_transfer": case.transfers.filter(completed_at__isnull=True)
        .select_related("to_team", "receiving_team_leader")
        .first(),
        "yours": submitted_values(form),
    }


def _versioned(
    request: HttpRequest,
    case: Case,
    form_class: type[VersionedForm],
    save: Any,
    field: str | None = None,
    **kwargs: Any,
) -> tuple[bool, VersionedForm, dict[str, Any]]:
    """The form of a change to the case, rendered with the case's version; (saved, form,
    conflict context). A conflict keeps the editor's input, now based on the current version."""
    form = form_class(request.POST or None, initial={"version": case.version}, **kwargs)
    try:
        return submitted(request, form, save, field=field), form, {}
    except services.CaseConflict as clash:
        form = keep_input(form_class, request.POST, clash.current.version, **kwargs)
        return False, form, _conflict(clash.current, form)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    saved, form, conflict = _versioned(
        request, case, CloseForm, lambda data: services.close(case, **data)
    )
    if saved:
        messages.success(request, _("The case is closed."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Close the case"),
            "submit": _("Close the case"),
            **conflict,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    saved, form, conflict = _versioned(
        request,
        case,
        TransferForm,
        lambda data: services.request_transfer(case, by=request.user, **data),
    )
    if saved:
        messages.success(request, _("The transfer is sent to the receiving team leader."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Transfer to another district"),
            "intro": _(
                "The case moves with the family. Placements and aftercare stay with the "
                "current team. The receiving team leader names the new caseworker; you call "
                "the handover meeting."
            ),
            **conflict,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.ASSIGN)
    pending: Transfer = get_object_or_404(case.transfers, completed_at__isnull=True)
    loads = caseloads(pending.to_team)

    def save(data: dict[str, Any]) -> None:
        services.complete_transfer(
            pending, caseworker=data["caseworker"], by=request.user, version=data["version"]
        )

    saved, form, conflict = _versioned(
        request, case, AssignForm, save, field="caseworker", loads=loads
    )
    if saved:
        messages.success(request, _("The case is received by your team."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Receive the transferred case"),
            "intro": _("Handover meeting %(date)s. Choose the caseworker who takes over.")
            % {"date": pending.handover_meeting_on.strftime("%d.%m.%Y")},
            **conflict,
        },
    )


# ---------------------------------------------------------------- complaints and handover
# F8 point 8, docs/quality.md; access: trappen/access/policy/quality.py. Every case shown is
# noted in the audit log; the writes are audited by the case-data signals.


@login_required
@require_http_methods(["GET", "POST"])
def complaint_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk)  # 404 for a case out of sight; audits the read
    if not quality_policy.may_register_complaint(request.user, case):
        raise PermissionDenied
    form = ComplaintForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        services.register_complaint(case, by=request.user, **data)

    if submitted(request, form, save):
        messages.success(request, _("The complaint is registered."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Register a complaint"),
            "intro": _(
                "A complaint about the case handling is answered by the municipality. A "
                "complaint about a decision is reassessed by the municipality within 4 weeks: "
                "redress in full or in part, or the decision is upheld and the complaint sent "
                "on to Ankestyrelsen. The complaint counts for the case's team (%(team)s)."
            )
            % {"team": case.team},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = quality_policy.get_complaint(request.user, pk)
    case = complaint.case
    form = ComplaintOutcomeForm(
        request.POST or None,
        initial={
            "outcome": complaint.outcome,
            "outcome_on": complaint.outcome_on,
            "ruling": complaint.ruling,
            "ruling_on": complaint.ruling_on,
            "note": complaint.note,
        },
    )

    def save(data: dict[str, Any]) -> None:
        services.record_complaint_outcome(complaint, **data)

    if submitted(request, form, save):
        messages.success(request, _("The complaint's outcome is saved."))
        return redirect("cases:case", pk=case.pk)  # type: ignore[union-attr]
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Outcome of the complaint"),
            "intro": _("%(complaint)s, %(kind)s.")
            % {"complaint": complaint, "kind": complaint.get_kind_display().lower()},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover(request: AuthenticatedRequest) -> HttpResponse:
    """The team leader hands one or many cases of a caseworker to another of the team."""
    team = quality_policy.require_hand_over(request.user)
    sources = list(quality_policy.handover_sources(request.user, team))
    chosen = request.POST.get("from") or request.GET.get("from")
    source = next((u for u in sources if str(u.pk) == chosen), None)
    cases = (
        quality_policy.handover_cases(request.user, team, source)
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "pk")
        if source is not None
        else None
    )
    loads = caseloads(team)
    targets = quality_policy.handover_caseworkers(request.user, team)
    if source is not None:
        targets = targets.exclude(pk=source.pk)
    form = HandoverForm(
        request.POST or None if source is not None else None, cases=cases, caseworkers=targets
    )
    form.fields["to_caseworker"].label_from_instance = lambda w: (  # type: ignore[attr-defined]
        f"{w} ({loads.get(w, 0)})"
    )

    def save(data: dict[str, Any]) -> None:
        assert source is not None
        services.hand_over(
            list(data["cases"]),
            team=team,
            from_caseworker=source,
            to_caseworker=data["to_caseworker"],
            reason=data["reason"],
            note=data["note"],
            handover_on=data["handover_on"],
            by=request.user,
        )

    if source is not None and submitted(request, form, save):
        messages.success(
            request,
            _("The cases are handed over to %(name)s, who is notified.")
            % {"name": form.cleaned_data["to_caseworker"]},
        )
        return redirect("dashboards:team")
    shown = list(cases) if cases is not None else []
    note_reads(shown)
    return render(
        request,
        "cases/handover.html",
        {"team": team, "sources": sources, "source": source, "form": form, "cases": shown},
    )
