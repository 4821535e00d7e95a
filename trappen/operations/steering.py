"""The steering's figures precomputed by `trappen daily`, so the first analyst of the day finds
them in the shared cache (trappen/evaluation/limits.py) instead of waiting for an evaluation.

The common queries are those the steering page opens with: this year so far (the page's
default) and the whole of last year, by each grouping the form offers, and the home pages'
targets (`evaluation.home.home_query`). They are built through the page's own form and the
home's own query, so their cache keys are the pages'.
"""

import time
from datetime import date

from django.utils import timezone

from trappen.evaluation import limits
from trappen.evaluation.figures import Query
from trappen.evaluation.forms import GROUP_BY_CHOICES, SteeringForm, default_period
from trappen.evaluation.home import home_query

BUSY_TRIES = 3


def common_queries(today: date) -> list[Query]:
    this_year = default_period(today)
    last_year = (date(this_year.start.year - 1, 1, 1), date(this_year.start.year - 1, 12, 31))
    periods = [(this_year.start, this_year.end), last_year]
    queries = []
    for start, end in dict.fromkeys(periods):
        for group_by, _label in GROUP_BY_CHOICES:
            form = SteeringForm({"start": start, "end": end, "group_by": group_by})
            if form.is_valid():
                queries.append(form.query())
    queries.append(home_query(today))  # the targets on the leader's and analyst's home
    return queries


def is_cached(query: Query) -> bool:
    return limits.cache_get(limits.cache_key(query, limits.data_version())) is not None


def warm(today: date | None = None) -> str:
    """Compute and keep the figures of the common queries not yet cached; one summary line."""
    queries = common_queries(today or timezone.localdate())
    computed = 0
    for query in queries:
        if is_cached(query):
            continue
        for attempt in range(BUSY_TRIES):
            try:
                limits.figures_for(query)
                break
            except limits.Busy:  # the analysts hold every slot: wait for one
                if attempt == BUSY_TRIES - 1:
                    raise
                time.sleep(limits.RETRY_AFTER_SECONDS)
        computed += 1
    return f"{computed} computed, {len(queries) - computed} already cached"
