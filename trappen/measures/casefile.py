"""The measures on the case page: their panel (measures and legal basis, what the law asks,
exit plans, movements, the visitation committee) and the timeline's measures, movements on
the staircase and the committee's decisions."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.access import policy
from trappen.access.policy import Action
from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import Panel, TimelineEvent, day_end
from trappen.cases.models import Case
from trappen.core import legal
from trappen.core.deadlines import NoRuleInForce
from trappen.core.duties import plan_due, plan_missing
from trappen.rules.models import date_deadlines_for

from .forms import ExitPlanForm
from .models import INSTITUTION_TYPES, Episode, VisitationRequest

PLAN_CONCEPTS = legal.PLAN_CONCEPTS  # § 91: § 32 support, §§ 46-47 placements


def _step_label(step: int | None) -> str:
    return _("no measure") if step is None else _("step %(step)s") % {"step": step}


@registry.timeline(order=50)
def episode_events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for ep in loaded.episodes:
        step = _("step %(step)s") % {"step": ep.intervention.step_id}
        yield TimelineEvent(
            day_end(ep.start_on), _("Measure started"), f"{ep.intervention} ({step})", all_day=True
        )
        if ep.end_on:
            yield TimelineEvent(
                day_end(ep.end_on),
                _("Measure ended"),
                str(ep.intervention),
                ep.get_end_reason_display(),
                all_day=True,
            )


@registry.timeline(order=70)
def decision_events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for m in loaded.movements:
        direction = _("down") if m.is_down else _("up")
        steps = f"{_step_label(m.from_step)} → {_step_label(m.to_step)} ({direction})"
        yield TimelineEvent(
            day_end(m.moved_on),
            _("Movement on the staircase"),
            steps,
            m.get_reason_display(),
            all_day=True,
        )
    for v in loaded.visitation_requests:
        if v.decided_on:
            yield TimelineEvent(
                day_end(v.decided_on),
                _("Visitation committee"),
                str(v.intervention),
                v.get_status_display(),
                actor=str(v.decided_by or ""),
                all_day=True,
            )


@registry.panel(order=30)
def panel(case: Case, user: Any, loaded: Loaded) -> Panel:
    today = timezone.localdate()
    episodes = loaded.episodes
    active = loaded.active_episodes(today)
    institutions = [e for e in active if e.intervention.placement_type in INSTITUTION_TYPES]
    # The case came through the policy (the case page); its child's movements with it.
    movements = loaded.child_movements[:50]
    requests = [
        r for r in loaded.visitation_requests if r.status != VisitationRequest.Status.APPROVED
    ]
    return Panel(
        "measures/panels/case.html",
        {
            "case": case,
            "user": user,
            "may_edit": policy.may(user, Action.EDIT, case),
            "may_decide": policy.may(user, Action.DECIDE_VISITATION, case),
            "episodes": episodes,
            "law_warnings": law_warnings(case, active, today, loaded.plan_revisions),
            "sibling_tasks": loaded.open_sibling_tasks,
            "missing_exit_plans": [
                (e, ExitPlanForm(auto_id=f"id_exit{e.pk}_%s"))
                for e in institutions
                if e.lacks_exit_plan
            ],
            "movements": movements,
            "requests": requests,
        },
    )


def law_warnings(
    case: Case, active: list[Episode], today: date, revisions: list[Any] | None = None
) -> list[tuple[Episode, str, bool]]:
    """What the law asks of each active measure's decision and is missing: (episode, text,
    red). The plan: barnets plan within 3 months, before a § 47 decision (§ 91).
    `revisions`: the action plan's revisions already read (else read here)."""
    if revisions is None:
        plan = getattr(case, "action_plan", None)
        revisions = list(plan.revisions.all()) if plan is not None else []
    first = min(revisions, key=lambda r: (r.created_at, r.pk)) if revisions else None
    made_on = timezone.localdate(first.created_at) if first else None
    child_plan_due = None
    out: list[tuple[Episode, str, bool]] = []
    for e in active:
        if e.lacks_decision_content:
            out.append(
                (
                    e,
                    str(
                        _(
                            "The decision lacks its content: purpose and expected duration "
                            "(§ 32, stk. 3) or consent (§ 46 / § 47)."
                        )
                    ),
                    True,
                )
            )
        if e.child_heard != Episode.ChildHeard.HEARD:
            out.append(
                (e, str(_("No hearing of the child is recorded for this decision (§ 5).")), False)
            )
        if e.intervention.legal_concept not in PLAN_CONCEPTS:
            continue
        child_plan_due = child_plan_due or date_deadlines_for("child_plan")  # one query
        try:
            later = child_plan_due(e.start_on)
        except NoRuleInForce:
            continue
        due = plan_due(e.start_on, later, without_consent=e.consent == Episode.Consent.WITHOUT)
        if plan_missing(made_on, due, today):
            out.append(
                (
                    e,
                    str(
                        _("Measure without a plan: barnets plan was due %(date)s (§ 91).")
                        % {"date": due.strftime("%d.%m.%Y")}
                    ),
                    True,
                )
            )
        elif made_on is None:
            out.append(
                (
                    e,
                    str(
                        _("Barnets plan is due by %(date)s (§ 91).")
                        % {"date": due.strftime("%d.%m.%Y")}
                    ),
                    False,
                )
            )
    return out
