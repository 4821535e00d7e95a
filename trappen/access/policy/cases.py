"""Cases and what hangs off them: who sees a case, who changes it, and the one resolver that
every view uses to reach a case or an object of a case.

- caseworker: changes own open cases; reads the district team's cases.
- team leader: reads and changes the team's cases; sees a case offered by a pending transfer;
  approves follow-up exceptions and records the visitation committee's decision.
- PPR psychologist, health visitor: read only cases shared with them (consent.Sharing), and only
  while a consent from a custody holder covers that sharing (`may_share`); they record their
  own activities on such a case.
- break-the-glass: a case-team professional may *read* one case outside their scope for a while
  with a recorded reason; no write ever rests on it (`Action.VIEW` is the only action it opens).
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from trappen.audit.log import note_read
from trappen.cases.models import Case

from .base import (
    BREAK_GLASS_PROFESSIONS,
    CASE_TEAM_PROFESSIONS,
    SHARED_READERS,
    Action,
    active,
    is_leader_of,
    is_team_leader,
    reads_team,
    today,
)
from .sharing import active_break_glass, covered_sharing, glass_q, is_shared_with

M = TypeVar("M", bound=Model)


def visible_cases(user: Any, *, break_glass: bool = True) -> QuerySet[Case]:
    """The cases `user` may read today. `break_glass=False` leaves out those that only a
    break-the-glass grant opens: what a user may name, share or write on."""
    if not active(user) or user.profession not in CASE_TEAM_PROFESSIONS:
        return Case.objects.none()
    glass = glass_q(user) if break_glass else Q(pk__in=[])
    if user.profession in SHARED_READERS:
        shared = covered_sharing(user, today()).values("case_id")
        return Case.objects.filter(Q(pk__in=shared) | glass).distinct()
    incoming = Q(transfers__receiving_team_leader=user, transfers__completed_at__isnull=True)
    return Case.objects.filter(Q(team_id=user.team_id) | incoming | glass).distinct()


def visible_of(user: Any, model: type[M], path: str = "case") -> QuerySet[M]:
    """The rows of `model` that hang off a case `user` may read (through the field `path`)."""
    return model._default_manager.filter(**{f"{path}__in": visible_cases(user)})


def own_open_cases(user: Any) -> QuerySet[Case]:
    """The open cases `user` is the caseworker of *and may still read*: a caseworker moved to
    another team keeps none of the old team's cases here (home, due list, calendar feed)."""
    return (
        visible_cases(user, break_glass=False)
        .filter(caseworker_id=user.pk)
        .exclude(status=Case.Status.CLOSED)
    )


def team_open_cases(user: Any, team: Any) -> QuerySet[Case]:
    """The open cases of `team` as `user` may read them (the team leader's lists)."""
    team_id = team.pk if hasattr(team, "pk") else team
    return (
        visible_cases(user, break_glass=False)
        .filter(team_id=team_id)
        .exclude(status=Case.Status.CLOSED)
    )


def reads_by_right(user: Any, case: Case) -> bool:
    """Does `user` read `case` by their work (team, sharing under consent, an offered
    transfer), not only through break-the-glass?"""
    if not active(user):
        return False
    if reads_team(user, case.team_id) or is_shared_with(user, case):
        return True
    return (
        is_team_leader(user)
        and case.transfers.filter(receiving_team_leader=user, completed_at__isnull=True).exists()
    )


def _view_grant(user: Any, case: Case) -> tuple[bool, Any]:
    """(may `user` read `case`, the break-the-glass grant they read it through, if that is how:
    None when they read it by right)."""
    if reads_by_right(user, case):
        return True, None
    if user.profession not in BREAK_GLASS_PROFESSIONS:
        return False, None
    grant = active_break_glass(user, case)
    return grant is not None, grant


def may_case(user: Any, action: Action, case: Case) -> bool:
    if action is Action.VIEW:
        return _view_grant(user, case)[0]
    # Every action below is a write: none consults break-the-glass.
    if action in (Action.EDIT, Action.MANAGE_CONSENT):
        if not case.is_open:
            return False
        return (case.caseworker_id == user.pk and reads_team(user, case.team_id)) or (
            is_leader_of(user, case.team_id)
        )
    if action in (Action.DECIDE_VISITATION, Action.APPROVE_EXCEPTION):
        # The team leader of the case's team records the committee's decision and approves
        # or withdraws follow-up exceptions.
        return case.is_open and is_leader_of(user, case.team_id)
    if action is Action.RECORD_ACTIVITY:
        # Caseworker and leader where they may edit; psychologist and health visitor on a
        # case shared with them under consent. Break-the-glass never counts.
        if not case.is_open:
            return False
        if user.profession in SHARED_READERS:
            return is_shared_with(user, case)
        return may_case(user, Action.EDIT, case)
    if action is Action.ASSIGN:
        pending = case.transfers.filter(completed_at__isnull=True).first()
        return pending is not None and pending.receiving_team_leader_id == user.pk
    return False


def get_case(user: Any, pk: int, action: Action = Action.VIEW) -> Case:
    """The case if the user may act on it: 404 when they may not even see it, else 403.
    The read is noted in the audit log."""
    case = (
        Case.objects.select_related("child__district", "team", "caseworker").filter(pk=pk).first()
    )
    if case is None or not active(user):
        raise Http404
    may_view, grant = _view_grant(user, case)
    if not may_view:
        raise Http404
    # The banner on the case's pages shows this grant (None: read by right, no banner), so
    # the page asks no second time (consent_panels.break_glass_banner).
    case.break_glass_grant = grant  # type: ignore[attr-defined]
    if action is not Action.VIEW and not may_case(user, action, case):
        raise PermissionDenied
    note_read(case)
    return case


# How an object reaches its case, for the models whose case is not the field `case`.
CASE_PATHS: dict[str, str] = {"followups.followupexception": "episode__case"}


def _case_path(model: type[Model]) -> str:
    return CASE_PATHS.get(model._meta.label_lower, "case")


def get_case_of(
    user: Any,
    model: type[M],
    pk: Any,
    action: Action = Action.VIEW,
    *,
    select_related: tuple[str, ...] = (),
) -> M:
    """The object `pk` of `model` that hangs off a case, if `user` may act on that case: 404
    when the object does not exist or its case is not visible (the same answer), 403 when
    the case is visible but `action` is not allowed. The read of the case is noted in the
    audit log. The returned object carries the resolved case (`obj.case`, or its path)."""
    path = _case_path(model)
    try:
        case_id = model._default_manager.filter(pk=pk).values_list(f"{path}_id", flat=True).first()
    except (ValueError, TypeError):
        raise Http404 from None
    if case_id is None:
        raise Http404
    case = get_case(user, case_id, action)
    obj = model._default_manager.select_related(*select_related).get(pk=pk)
    # Hand the resolved case to the object, so the view needs no second query for it.
    holder: Any = obj
    *parents, last = path.split("__")
    for name in parents:
        holder = getattr(holder, name)
    setattr(holder, last, case)
    return obj
