"""Reading case data: children, cases, episodes and follow-ups (scope read:cases).

Everything comes from the policy's querysets and resolvers (`visible_cases`, `visible_of`,
`get_case`, `get_case_of`), so a token reads exactly what its account may read on the pages;
what a response returns is noted as one READ entry per request (AuditMiddleware). An object
outside the policy answers 404, the same as one that does not exist, and is audited.
"""

from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from trappen.access import policy
from trappen.audit.log import note_reads, record
from trappen.audit.models import AuditAction
from trappen.cases.models import Case, Child
from trappen.core import cpr as cpr_rules
from trappen.followups.models import FollowUp
from trappen.measures.models import Episode
from trappen.security import ratelimit

from ..auth import refuse, requires, token_of
from ..models import Scope
from ..schemas import (
    RATE_LIMITED,
    CaseOut,
    CasePage,
    ChildOut,
    ChildPage,
    CprLookup,
    EpisodeOut,
    EpisodePage,
    Error,
    FollowUpOut,
    FollowUpPage,
    ValidationError,
)

router = Router(tags=["case data"])

M = TypeVar("M", bound=Model)

# Ids and offsets within what every database stores (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
RefId = Annotated[int | None, Query(None, ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(50, ge=1, le=100, description="Rows per page (at most 100).")]
Offset = Annotated[int, Query(0, ge=0, le=10**9, description="Rows to skip.")]
# 422: a parameter or body that does not fit the schema (ninja's own answer).
NOT_FOUND = {401: Error, 403: Error, 404: Error, 422: ValidationError, **RATE_LIMITED}
LISTED = {401: Error, 403: Error, 422: ValidationError, **RATE_LIMITED}


def page(queryset: QuerySet[M], limit: int, offset: int) -> tuple[int, list[M]]:
    """One page of `queryset` by id, and the count of all; the rows returned are noted as read."""
    rows = list(queryset.order_by("pk")[offset : offset + limit])
    note_reads(rows)
    return queryset.count(), rows


def hidden(request: HttpRequest, model: type[Model], pk: int) -> Exception:
    """404 for an object outside the policy (or missing: the same answer), audited."""
    return refuse(
        request, AuditAction.READ, 404, refused="policy", object=model._meta.label_lower, pk=pk
    )


# --- Out of the models --------------------------------------------------------------------


def child_out(request: HttpRequest, child: Child) -> dict[str, Any]:
    full = token_of(request).has_scope(Scope.READ_CPR)
    shown = child.cpr if full else child.masked_cpr
    return {
        "id": child.pk,
        "external_id": child.external_id,
        "cpr": shown or None,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "birth_date": child.birth_date,
        "sex": child.sex,
        "district": child.district.name,
    }


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "external_id": case.external_id,
        "child": case.child_id,
        "team": case.team.name,
        "caseworker": case.caseworker.username,
        "status": case.status,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "closure_reason": case.closure_reason,
    }


def episode_out(episode: Episode) -> dict[str, Any]:
    return {
        "id": episode.pk,
        "external_id": episode.external_id,
        "child": episode.child_id,
        "case": episode.case_id,
        "intervention": episode.intervention.name,
        "step": episode.intervention.step_id,
        "placement_type": episode.intervention.placement_type,
        "start_on": episode.start_on,
        "end_on": episode.end_on,
        "end_reason": episode.end_reason,
        "daily_cost": f"{episode.daily_cost:.2f}",
    }


def followup_out(followup: FollowUp) -> dict[str, Any]:
    return {
        "id": followup.pk,
        "external_id": followup.external_id,
        "child": followup.episode.child_id,
        "case": followup.case_id,
        "episode": followup.episode_id,
        "held_on": followup.held_on,
        "form": followup.form,
        "child_conversation": followup.child_conversation,
        "plan_review": followup.plan_review,
        "next_agreed_on": followup.next_agreed_on,
    }


# --- Children -----------------------------------------------------------------------------


def visible_children(request: HttpRequest) -> QuerySet[Child]:
    """The children of the cases the token's account may read."""
    return policy.visible_of(request.user, Child, "cases").select_related("district").distinct()


@router.get("/children", response={200: ChildPage, **LISTED}, url_name="children")
@requires(Scope.READ_CASES)
def children(request: HttpRequest, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    count, rows = page(visible_children(request), limit, offset)
    return {"count": count, "items": [child_out(request, c) for c in rows]}


@router.get("/children/{int:pk}", response={200: ChildOut, **NOT_FOUND}, url_name="child")
@requires(Scope.READ_CASES)
def child(request: HttpRequest, pk: Id) -> dict[str, Any]:
    found = visible_children(request).filter(pk=pk).first()
    if found is None:
        raise hidden(request, Child, pk)
    note_reads([found])
    return child_out(request, found)


@router.post(
    "/children/lookup",
    response={200: ChildOut, 400: Error, 429: Error, **NOT_FOUND},
    url_name="child_lookup",
)
@requires(Scope.READ_CPR)
@requires(Scope.READ_CASES)
def child_lookup(request: HttpRequest, response: HttpResponse, body: CprLookup) -> Any:
    """A child by CPR number, among those the account may read. The number travels in the
    body, never in a URL; a number that is not valid answers 404 like one not found. Each
    lookup counts against the account's CPR lookup budget (TRAPPEN_CPR_LOOKUPS_PER_MINUTE,
    _PER_DAY; 429 beyond it) and is a LOOKUP entry, as on the notification form."""
    verdict = ratelimit.cpr_lookup(request.user)
    if not verdict.allowed:
        if verdict.first_refusal:
            record(AuditAction.LOOKUP, detail={"throttled": True, "form": "api"})
        response["Retry-After"] = "60"
        return Status(429, {"detail": verdict.message})
    try:
        digits = cpr_rules.normalise(body.cpr)
    except cpr_rules.CprError:
        digits = ""
    found = visible_children(request).filter(cpr=digits).first() if digits else None
    token = token_of(request).pk
    record(
        AuditAction.LOOKUP,
        found,
        detail={"found": found is not None, "form": "api", "api_token": token},
    )
    if found is None:
        raise HttpError(404, _("Not found."))
    note_reads([found])
    return child_out(request, found)


# --- Cases --------------------------------------------------------------------------------


@router.get("/cases", response={200: CasePage, **LISTED}, url_name="cases")
@requires(Scope.READ_CASES)
def cases(
    request: HttpRequest, child: RefId = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    queryset = policy.visible_cases(request.user).select_related("team", "caseworker")
    if child is not None:
        queryset = queryset.filter(child_id=child)
    count, rows = page(queryset, limit, offset)
    return {"count": count, "items": [case_out(c) for c in rows]}


@router.get("/cases/{int:pk}", response={200: CaseOut, **NOT_FOUND}, url_name="case")
@requires(Scope.READ_CASES)
def case(request: HttpRequest, pk: Id) -> dict[str, Any]:
    try:
        found = policy.get_case(request.user, pk)  # notes the read
    except Http404:
        raise hidden(request, Case, pk) from None
    return case_out(found)


# --- Episodes -----------------------------------------------------------------------------


@router.get("/episodes", response={200: EpisodePage, **LISTED}, url_name="episodes")
@requires(Scope.READ_CASES)
def episodes(
    request: HttpRequest,
    case: RefId = None,
    child: RefId = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    queryset = policy.visible_of(request.user, Episode).select_related("intervention")
    if case is not None:
        queryset = queryset.filter(case_id=case)
    if child is not None:
        queryset = queryset.filter(child_id=child)
    count, rows = page(queryset, limit, offset)
    return {"count": count, "items": [episode_out(e) for e in rows]}


@router.get("/episodes/{int:pk}", response={200: EpisodeOut, **NOT_FOUND}, url_name="episode")
@requires(Scope.READ_CASES)
def episode(request: HttpRequest, pk: Id) -> dict[str, Any]:
    try:
        found = policy.get_case_of(request.user, Episode, pk, select_related=("intervention",))
    except Http404:
        raise hidden(request, Episode, pk) from None
    note_reads([found])
    return episode_out(found)


# --- Follow-ups ---------------------------------------------------------------------------


@router.get("/followups", response={200: FollowUpPage, **LISTED}, url_name="followups")
@requires(Scope.READ_CASES)
def followups(
    request: HttpRequest,
    case: RefId = None,
    episode: RefId = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    queryset = policy.visible_of(request.user, FollowUp).select_related("episode", "case")
    if case is not None:
        queryset = queryset.filter(case_id=case)
    if episode is not None:
        queryset = queryset.filter(episode_id=episode)
    count, rows = page(queryset, limit, offset)
    return {"count": count, "items": [followup_out(f) for f in rows]}


@router.get("/followups/{int:pk}", response={200: FollowUpOut, **NOT_FOUND}, url_name="followup")
@requires(Scope.READ_CASES)
def followup(request: HttpRequest, pk: Id) -> dict[str, Any]:
    try:
        found = policy.get_case_of(request.user, FollowUp, pk, select_related=("episode",))
    except Http404:
        raise hidden(request, FollowUp, pk) from None
    note_reads([found])
    return followup_out(found)
