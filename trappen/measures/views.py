from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import Case
from trappen.common.requests import AuthenticatedRequest
from trappen.common.views import submitted

from . import services
from .forms import DecisionForm, EndForm, EpisodeForm, ExitPlanForm
from .models import Episode, VisitationRequest


@login_required
@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    form = EpisodeForm(request.POST or None, case=case)
    recorded: list[object] = []

    def save(data: dict[str, Any]) -> None:
        recorded.append(services.record(case, by=request.user, **data))

    if submitted(request, form, save):
        if isinstance(recorded[0], VisitationRequest):
            messages.warning(
                request,
                _(
                    "The measure costs more than %(threshold)s kr. a month and awaits the "
                    "visitation committee's approval; it starts when the team leader records "
                    "the approval."
                )
                % {"threshold": number_format(recorded[0].threshold, force_grouping=True)},
            )
        else:
            messages.success(request, _("The measure is recorded."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("New measure"),
            "intro": _hearing_prompt(case),
        },
    )


def _hearing_prompt(case: Case) -> str:
    """§ 5 and the model's partshøring af barnet, prompted on the form: the latest hearing in
    the journal, or a warning that there is none."""
    from trappen.cases.models import JournalEntry

    heard = case.journal.filter(heading=JournalEntry.Heading.CHILD_HEARING).first()
    if heard is None:
        return _(
            "Warning: the journal has no 'Hearing of the child' yet. The child is heard before "
            "a measure starts (Barnets Lov § 5), noted in the journal under that heading."
        )
    return _(
        "The child was last heard on %(date)s (journal: 'Hearing of the child'). Hear the "
        "child again before this decision if that was for another one."
    ) % {"date": timezone.localtime(heard.written_at).strftime("%d.%m.%Y")}


def _episode_case(request: HttpRequest, pk: int) -> tuple[Episode, Case]:
    episode = policy.get_case_of(
        request.user, Episode, pk, Action.EDIT, select_related=("intervention", "child")
    )
    return episode, episode.case


@login_required
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    episode, case = _episode_case(request, pk)
    form = EndForm(request.POST or None)
    if submitted(request, form, lambda data: services.end(episode, by=request.user, **data)):
        messages.success(request, _("The measure is ended."))
        return redirect("cases:case", pk=case.pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("End measure: %(name)s") % {"name": episode.intervention},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    episode, case = _episode_case(request, pk)
    form = ExitPlanForm(
        request.POST or None,
        initial={
            "planned_discharge_on": episode.planned_discharge_on,
            "intended_next_step": episode.intended_next_step,
        },
    )
    if submitted(request, form, lambda data: services.set_exit_plan(episode, **data)):
        messages.success(request, _("The exit plan is saved."))
        return redirect("cases:case", pk=case.pk)
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Exit plan: %(name)s") % {"name": episode.intervention},
            "intro": _(
                "An institution placement is short and planned with its end from admission: "
                "when is the child discharged, and to which step?"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The team leader records the visitation committee's approval or refusal."""
    visitation = policy.get_case_of(
        request.user,
        VisitationRequest,
        pk,
        Action.DECIDE_VISITATION,
        select_related=("intervention", "requested_by"),
    )
    case = visitation.case
    form = DecisionForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        if data["decision"] == DecisionForm.APPROVE:
            services.approve(visitation, by=request.user, note=data["note"])
        else:
            services.refuse(visitation, by=request.user, note=data["note"])

    if submitted(request, form, save):
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            messages.success(request, _("Approved; the measure has started."))
        else:
            messages.success(request, _("The refusal is recorded."))
        return redirect("dashboards:team")
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Visitation committee: %(name)s") % {"name": visitation.intervention},
            "intro": _(
                "Requested by %(who)s: start %(start)s, %(daily)s kr. a day "
                "(%(monthly)s kr. a month; threshold %(threshold)s kr.)."
            )
            % {
                "who": visitation.requested_by,
                "start": visitation.start_on.strftime("%d.%m.%Y"),
                "daily": number_format(visitation.daily_cost, 2, force_grouping=True),
                "monthly": number_format(visitation.monthly_cost, 0, force_grouping=True),
                "threshold": number_format(visitation.threshold, force_grouping=True),
            },
        },
    )
