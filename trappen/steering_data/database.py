"""`dataset_from_database()`: the whole database as a `Dataset`, for the key figures and the
export (docs/interchange.md for the six tables, docs/keyfigures.md for the steering's two)."""

from collections.abc import Callable
from datetime import UTC
from typing import Any

import polars as pl
from django.utils import timezone

from trappen.activities.models import Activity
from trappen.cases.models import Case, Child, Complaint
from trappen.core.dataset import EXTRA_SCHEMA, SCHEMA, SDQ_IMPACT_NAMES, Dataset
from trappen.followups.models import FollowUp, GoalRating
from trappen.intake.models import Notification
from trappen.interchange.models import IMPORT_USERNAME, Installation
from trappen.measures.models import Episode
from trappen.organisation.models import District
from trappen.wellbeing.models import SdqMeasurement

# The models whose rows the Dataset holds: a save of one changes the figures
# (trappen/evaluation/limits.py watches them).
READ_MODELS = (
    "cases.Child",
    "cases.Case",
    "cases.Complaint",
    "measures.Episode",
    "followups.FollowUp",
    "followups.GoalRating",
    "organisation.District",
    "organisation.DistrictGroup",
    "organisation.Team",
    "catalogue.Intervention",
    "intake.Notification",
    "activities.Activity",
    "wellbeing.SdqMeasurement",
)


def export_id(token: str, pk: int, external_id: str) -> str:
    """The id a row has in an export: the imported one, else trappen-<token>-<pk>."""
    return external_id or f"trappen-{token}-{pk}"


def _frame(table: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    schema = {c.name: c.dtype for c in {**SCHEMA, **EXTRA_SCHEMA}[table]}
    return pl.DataFrame(rows, schema=schema, orient="row")


def dataset_from_database(*, steering: bool = True) -> Dataset:
    """The whole database as a Dataset: every district, child, case, episode, follow-up,
    complaint, SDQ and (`steering`) notification, activity, goal rating and child's rating;
    one query per table.

    Rows come in the order they were created (primary key), so exporting what an import stored
    gives the imported files back. A row that was not imported gets the id
    `trappen-<token>-<primary key>` (`export_id`). Without `steering`, the two tables beyond the
    interchange format stay empty (the CSV export writes only the six).
    """
    token = Installation.current().token

    def ident(pk: int, external_id: str) -> str:
        return export_id(token, pk, external_id)

    districts = list(
        District.objects.order_by("pk").values_list("name", "group__name", "team__name")
    )
    child_ids: dict[int, str] = {}
    children = []
    for pk, ext, born, sex, district in (
        Child.objects.order_by("pk")
        .values_list("pk", "external_id", "birth_date", "sex", "district__name")
        .iterator(chunk_size=5000)
    ):
        child_ids[pk] = ident(pk, ext)
        children.append((child_ids[pk], born, sex, district))
    cases = [
        (
            ident(pk, ext),
            child_ids[child],
            team,
            opened,
            closed,
            None if username == IMPORT_USERNAME else username,
        )
        for pk, ext, child, team, opened, closed, username in Case.objects.order_by("pk")
        .values_list(
            "pk",
            "external_id",
            "child_id",
            "team__name",
            "opened_on",
            "closed_on",
            "caseworker__username",
        )
        .iterator(chunk_size=5000)
    ]
    episode_ids: dict[int, str] = {}
    episodes = []
    for pk, ext, child, step, kind, name, start, end, reason, cost in (
        Episode.objects.order_by("pk")
        .values_list(
            "pk",
            "external_id",
            "child_id",
            "intervention__step_id",
            "intervention__placement_type",
            "intervention__name",
            "start_on",
            "end_on",
            "end_reason",
            "daily_cost",
        )
        .iterator(chunk_size=5000)
    ):
        episode_ids[pk] = ident(pk, ext)
        episodes.append(
            (
                episode_ids[pk],
                child_ids[child],
                step,
                kind or None,
                name,
                start,
                end,
                (reason or None) if end else None,
                float(cost),
            )
        )
    followups = []
    child_ratings = []
    for pk, ext, child, episode, held, conversation, rating in (
        FollowUp.objects.order_by("pk")
        .values_list(
            "pk",
            "external_id",
            "episode__child_id",
            "episode_id",
            "held_on",
            "child_conversation",
            "child_rating",
        )
        .iterator(chunk_size=5000)
    ):
        followups.append(
            (ident(pk, ext), child_ids[child], episode_ids[episode], held, bool(conversation))
        )
        if rating is not None:
            child_ratings.append((ident(pk, ext), child_ids[child], held, rating))
    complaints = [
        (ident(pk, ext), child_ids[child], team, received)
        for pk, ext, child, team, received in Complaint.objects.order_by("pk")
        .values_list("pk", "external_id", "child_id", "team__name", "received_on")
        .iterator(chunk_size=5000)
    ]
    tables = {
        "districts": _frame("districts", districts),
        "children": _frame("children", children),
        "cases": _frame("cases", cases),
        "episodes": _frame("episodes", episodes),
        "followups": _frame("followups", followups),
        "complaints": _frame("complaints", complaints),
        "sdq": _sdq(child_ids, ident),
    }
    if steering:
        tables["notifications"] = _notifications(child_ids, ident)
        tables["activities"] = _activities(child_ids, ident)
        tables["goal_ratings"] = _goal_ratings(child_ids, ident)
        tables["child_ratings"] = _frame("child_ratings", child_ratings)
    return Dataset(**tables)


def _sdq(child_ids: dict[int, str], ident: Callable[[int, str], str]) -> pl.DataFrame:
    """The SDQ measurements: the answers by item number and the impact supplement."""
    rows = []
    for pk, ext, child, on, informant, answers, impact in (
        SdqMeasurement.objects.order_by("pk")
        .values_list(
            "pk", "external_id", "child_id", "measured_on", "informant", "answers", "impact_answers"
        )
        .iterator(chunk_size=5000)
    ):
        if child not in child_ids:
            continue
        given = impact or {}
        rows.append(
            (
                ident(pk, ext),
                child_ids[child],
                on,
                informant,
                *answers,
                *(given.get(name) for name in SDQ_IMPACT_NAMES),
            )
        )
    return _frame("sdq", rows)


def _utc(moment: Any) -> Any:
    """An aware datetime as naive UTC (the Dataset's times); None stays None."""
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _notifications(child_ids: dict[int, str], ident: Callable[[int, str], str]) -> pl.DataFrame:
    rows = [
        (
            ident(pk, ""),
            child_ids[child],
            timezone.localdate(received),
            _utc(received),
            _utc(deadline),
            _utc(assessed),
        )
        for pk, child, received, deadline, assessed in Notification.objects.order_by("pk")
        .values_list("pk", "child_id", "received_at", "assessment_deadline", "assessed_at")
        .iterator(chunk_size=5000)
        if child in child_ids
    ]
    return _frame("notifications", rows)


def _activities(child_ids: dict[int, str], ident: Callable[[int, str], str]) -> pl.DataFrame:
    rows = [
        (ident(pk, ""), child_ids[child], kind, held)
        for pk, child, kind, held in Activity.objects.order_by("pk")
        .values_list("pk", "case__child_id", "kind", "held_on")
        .iterator(chunk_size=5000)
        if child in child_ids
    ]
    return _frame("activities", rows)


def _goal_ratings(child_ids: dict[int, str], ident: Callable[[int, str], str]) -> pl.DataFrame:
    """Each goal rated at a follow-up; `goal` is the goal's line (its first revision's pk)."""
    rows = [
        (
            ident(pk, ""),
            child_ids[child],
            ident(follow_up, follow_up_ext),
            ident(origin or goal, ""),
            held,
            rating,
        )
        for pk, child, follow_up, follow_up_ext, goal, origin, held, rating in (
            GoalRating.objects.order_by("pk")
            .values_list(
                "pk",
                "follow_up__episode__child_id",
                "follow_up_id",
                "follow_up__external_id",
                "goal_id",
                "goal__origin_id",
                "follow_up__held_on",
                "rating",
            )
            .iterator(chunk_size=5000)
        )
        if child in child_ids
    ]
    return _frame("goal_ratings", rows)
