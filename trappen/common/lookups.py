"""`column = ANY(array)`: a filter on a list of ids as one parameter.

`filter(case_id__in=ids)` with a team's ~500 case ids costs more CPU than the query's rows:
Django prepares each id as a value of the field and psycopg parses a statement of 500
placeholders, too long for its cache, on every request. On PostgreSQL `AnyOf` sends the ids
as one array; elsewhere (SQLite) it is the IN list it replaces."""

from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(Lookup):
    """`AnyOf("case_id", ids)`: the rows whose integer `case_id` is one of `ids`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, column: str | F, ids: Iterable[int]) -> None:
        super().__init__(F(column) if isinstance(column, str) else column, [int(i) for i in ids])

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, self.rhs]
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]
