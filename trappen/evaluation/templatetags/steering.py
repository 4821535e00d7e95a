from typing import Any

from django import template

from trappen.access import policy
from trappen.evaluation.formatting import show
from trappen.evaluation.tables import Row, Table, cell

register = template.Library()


@register.filter
def may_view_steering(user: Any) -> bool:
    return policy.may_view_steering(user)


@register.filter
def cells(row: Row, table: Table) -> list[tuple[str, bool]]:
    """The row's cells as (text, is a number) for the table's columns."""
    out = []
    for value, column in zip(row.values, table.columns, strict=False):
        shown, fmt = cell(value, column.fmt)
        out.append((show(shown, fmt), fmt != "text"))
    return out
