"""Server-side sorting of the list pages (F10 point 3): `?sort=<column>` or `?sort=-<column>`
from a whitelist per table, anything else the table's default. The column headers are links
that keep the page's other parameters (the status filter) and mark the sorted column with
`aria-sort`; the list starts again on page 1 when the order changes."""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import F, QuerySet
from django.http import HttpRequest, QueryDict

T = TypeVar("T")
# The parameters of the list pages a sorting link keeps: the filters and the other table's order.
WORD = re.compile(r"-?[a-z_]{1,40}")
KEPT = ("status", "sort", "sort_loads", "sort_notes", "when", "kind", "show", "action")


@dataclass(frozen=True)
class Header:
    href: str  # the link that sorts by this column (or reverses it)
    aria: str  # "ascending", "descending" or "none"
    value: str = ""  # the parameter's value that link sets (for a POSTed form's buttons)

    @property
    def arrow(self) -> str:
        return {"ascending": "▲", "descending": "▼"}.get(self.aria, "")


@dataclass(frozen=True)
class Sorting:
    key: str
    descending: bool
    headers: Mapping[str, Header]

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key


def chosen(
    request: HttpRequest,
    columns: Iterable[str],
    default: str,
    param: str = "sort",
    data: QueryDict | None = None,
) -> Sorting:
    """The sorting asked for in `request.GET[param]` (or `data[param]`, e.g. a POSTed
    search) if it names one of `columns`, else `default` (which may start with "-")."""
    allowed = list(columns)
    raw = (request.GET if data is None else data).get(param, "")
    key = raw.removeprefix("-")
    if key not in allowed:
        raw, key = default, default.removeprefix("-")
    descending = raw.startswith("-")
    headers = {}
    for column in allowed:
        again = column == key and not descending
        # Only the lists' own parameters are carried on: anything else in the address (a CPR
        # number someone typed there, say) is never echoed into the page.
        query = QueryDict(mutable=True)
        for name in KEPT:
            # A kept value is a word (a filter's option, a sort key): a number typed into
            # ?kind= is not echoed either.
            if WORD.fullmatch(request.GET.get(name, "")):
                query[name] = request.GET[name]
        value = f"-{column}" if again else column
        query[param] = value
        aria = "none"
        if column == key:
            aria = "descending" if descending else "ascending"
        headers[column] = Header("?" + query.urlencode(), aria, value)
    return Sorting(key, descending, headers)


def order(
    queryset: QuerySet[Any], sorting: Sorting, fields: Mapping[str, Sequence[str]]
) -> QuerySet[Any]:
    """`queryset` ordered by the chosen column's fields, empty values last, then by pk."""
    exprs = []
    for name in fields[sorting.key]:
        expr = F(name)
        exprs.append(
            expr.desc(nulls_last=True) if sorting.descending else expr.asc(nulls_last=True)
        )
    return queryset.order_by(*exprs, "pk")


def sort_rows(
    rows: Iterable[T], sorting: Sorting, keys: Mapping[str, Callable[[T], Any]]
) -> list[T]:
    """`rows` in memory by the chosen column's key, empty values (None) last either way."""
    key = keys[sorting.key]
    listed = list(rows)
    present = [r for r in listed if key(r) is not None]
    missing = [r for r in listed if key(r) is None]
    return sorted(present, key=key, reverse=sorting.descending) + missing
