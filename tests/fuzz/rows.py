"""Row counts of every table the forms could write to, in one query per call."""

from functools import cache

from django.apps import apps
from django.db import connection

# Rows these do not count: what a request records about itself, not what the form stores.
# Bookkeeping about requests, not what a form stores: the log, sessions, the login and lookup
# throttles, the steering's cache and slots.
NOT_FORM_DATA = {"audit", "sessions", "admin", "contenttypes", "security"}


@cache
def _tables() -> tuple[str, ...]:
    models = apps.get_models(include_auto_created=True)
    return tuple(
        sorted(
            {
                m._meta.db_table
                for m in models
                if m._meta.app_label not in NOT_FORM_DATA and m._meta.managed and not m._meta.proxy
            }
        )
    )


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    tables = _tables()
    # Table names come from the models, quoted; no input reaches this query.
    counts_sql = (f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    sql = "SELECT " + ", ".join(counts_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return dict(zip(tables, counts, strict=True))
