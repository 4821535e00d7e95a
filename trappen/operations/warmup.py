"""A worker's start: everything loaded, then frozen out of the garbage collector.

A worker holds over a million objects from its start to its end (Django, the apps and their
views, numpy, polars). Python's full (generation 2) collection walks all of them: measured on
the team view, one such collection every seventh request or so, ~140 ms CPU each, which was
most of every page's p95 (docs/benchmarks.md). `gc.freeze()` moves what exists into a permanent
generation the collector skips; what a request makes is still collected as before."""

import gc

from django.urls import get_resolver


def load_and_freeze() -> int:
    """Import every view (through the URL configuration, otherwise loaded by the first request)
    and freeze all objects alive now; how many are frozen."""
    get_resolver().url_patterns  # noqa: B018 - the import is the point
    gc.collect()  # no garbage frozen with the rest
    gc.freeze()
    return gc.get_freeze_count()
