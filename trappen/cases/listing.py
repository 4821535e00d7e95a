"""Cases for a list page, read as tuples (`trappen.common.partial`).

A team's list of open cases is some five hundred rows; loaded through the ORM with their child
and caseworker, every column of each, it costs more than the list's own work. Here the list
reads what it shows (the case's own columns, the child's name, the caseworker) in one query."""

from typing import Any

from django.db.models import QuerySet

from trappen.common.partial import Shared, attnames, maker, relate
from trappen.organisation.models import User

from .models import Case, Child

CASE_FIELDS = ("id", "child_id", "team_id", "caseworker_id", "status", "opened_on")
CHILD_FIELDS = ("first_name", "last_name", "external_id")


def listed_cases(cases: QuerySet[Case], *annotations: str) -> list[Case]:
    """`cases` (in their order) with their child and caseworker, each holding only the
    columns above (any other field is read when asked for, as a deferred one), each
    caseworker one instance shared by its cases; the named `annotations` of `cases` set on
    each case as attributes."""
    users = attnames(User)
    columns = [
        *CASE_FIELDS,
        *annotations,
        *(f"child__{f}" for f in CHILD_FIELDS),
        *(f"caseworker__{f}" for f in users),
    ]
    db = cases.db
    make_case, make_child, shared = maker(Case, db), maker(Child, db), Shared(db)
    ends = (len(CASE_FIELDS), len(CASE_FIELDS) + len(annotations))
    child_end = ends[1] + len(CHILD_FIELDS)
    out: list[Case] = []
    for r in cases.values_list(*columns):
        values: dict[str, Any] = dict(zip(CASE_FIELDS, r[: ends[0]], strict=True))
        case = make_case(values)
        for name, value in zip(annotations, r[ends[0] : ends[1]], strict=True):
            setattr(case, name, value)
        child = dict(zip(CHILD_FIELDS, r[ends[1] : child_end], strict=True))
        relate(case, "child", make_child({"id": case.child_id, **child}))
        if case.caseworker_id is not None:
            relate(case, "caseworker", shared.one(User, r[child_end:]))
        out.append(case)
    return out
