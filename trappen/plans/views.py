from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trappen.access import policy
from trappen.access.policy import Action
from trappen.cases.models import Case
from trappen.common.requests import AuthenticatedRequest
from trappen.core import duties, ics, legal
from trappen.core.deadlines import NoRuleInForce
from trappen.investigations.models import AreaAssessment
from trappen.rules.models import date_deadline_for

from . import services
from .forms import GOAL_FIELDS, GoalFormSet, RevisionForm
from .models import SDQ_SUBSCALE_LABELS, ActionPlanRevision

PLAN_CONCEPTS = sorted(legal.PLAN_CONCEPTS)  # § 91: § 32 support, §§ 46-47 placements


def _revisions(user, case_id: int):
    """The plan's revisions, newest first; the case came through the policy already."""
    return (
        policy.visible_of(user, ActionPlanRevision, "plan__case")
        .filter(plan__case_id=case_id)
        .select_related("author")
    )


def goal_rows(revision: ActionPlanRevision | None) -> list[tuple[Any, list[str], str]]:
    """Each goal with the names of its areas and its SDQ subscale's label."""
    if revision is None:
        return []
    names = {a.key: a.name for f in ics.catalogue().frameworks for a in f.areas}
    return [
        (g, [names.get(k, k) for k in g.areas], str(SDQ_SUBSCALE_LABELS.get(g.sdq_subscale, "")))
        for g in revision.goals.all()
    ]


def plan_due(case: Case) -> date | None:
    """When barnets plan is due (Barnets Lov § 91): 3 months after the first decision on a
    § 32 support or a placement, and before a § 47 decision."""
    dues = []
    for e in case.episodes.filter(intervention__legal_concept__in=PLAN_CONCEPTS):
        try:
            later = date_deadline_for("child_plan", e.start_on)
        except NoRuleInForce:
            continue
        dues.append(duties.plan_due(e.start_on, later, without_consent=e.consent == "without"))
    return min(dues) if dues else None


@login_required
def current(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk)
    revisions = list(_revisions(request.user, pk))
    due = plan_due(case)
    made = timezone.localdate(revisions[-1].created_at) if revisions else None
    return render(
        request,
        "plans/plan.html",
        {
            "case": case,
            "revision": revisions[0] if revisions else None,
            "goal_rows": goal_rows(revisions[0] if revisions else None),
            "revisions": revisions,
            "may_edit": policy.may(request.user, Action.EDIT, case),
            "plan_due": due,
            "plan_late": due is not None and duties.plan_missing(made, due, timezone.localdate()),
        },
    )


@login_required
def revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = policy.get_case(request.user, pk)
    revisions = list(_revisions(request.user, pk))
    chosen = next((r for r in revisions if r.number == number), None)
    if chosen is None:
        raise Http404
    return render(
        request,
        "plans/plan.html",
        {
            "case": case,
            "revision": chosen,
            "goal_rows": goal_rows(chosen),
            "revisions": revisions,
            "may_edit": False,
        },
    )


def _number(revision: ActionPlanRevision | None) -> int:
    return revision.number if revision else 0


@login_required
@require_http_methods(["GET", "POST"])
def revise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = policy.get_case(request.user, pk, Action.EDIT)
    latest = _revisions(request.user, pk).first()
    conflict = None
    # § 92, stk. 2: when the investigation has rated the areas, each goal names its areas.
    rated = policy.visible_of(request.user, AreaAssessment, "investigation__case")
    kwargs = {"require_areas": rated.filter(investigation__case=case).exists()}
    if request.method == "POST":
        form = RevisionForm(request.POST)
        goals = GoalFormSet(request.POST, prefix="goals", form_kwargs=kwargs)
        if form.is_valid() and goals.is_valid():
            try:
                rev = services.revise(
                    case,
                    purpose=form.cleaned_data["purpose"],
                    goals=goals.kept_goals(),
                    by=request.user,
                    based_on=form.cleaned_data["based_on"],
                )
            except services.RevisionConflict as clash:
                # Keep the editor's version in the form, now based on the saved one, so that
                # saving again is a deliberate choice made with both versions on screen.
                conflict = latest = clash.current
                data = request.POST.copy()
                data["based_on"] = str(conflict.number)
                form = RevisionForm(data)
                goals = GoalFormSet(data, prefix="goals", form_kwargs=kwargs)
            else:
                messages.success(
                    request, _("Action plan revision %(n)s is saved.") % {"n": rev.number}
                )
                return redirect("plans:action_plan", pk=pk)
    else:
        form = RevisionForm(
            initial={"purpose": latest.purpose if latest else "", "based_on": _number(latest)}
        )
        initial = (
            [
                {**{k: getattr(g, k) for k in GOAL_FIELDS}, "carried": g.pk}
                for g in latest.goals.all()
            ]
            if latest
            else []
        )
        goals = GoalFormSet(prefix="goals", initial=initial, form_kwargs=kwargs)
    return render(
        request,
        "plans/revise.html",
        {
            "case": case,
            "form": form,
            "goals": goals,
            "latest": latest,
            "conflict": conflict,
        },
    )
