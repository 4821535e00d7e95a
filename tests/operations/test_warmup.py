"""A worker's start freezes what is loaded out of the garbage collector (trappen.wsgi)."""

import gc
import sys

from trappen.operations.warmup import load_and_freeze


def test_the_views_are_loaded_and_frozen():
    try:
        frozen = load_and_freeze()
        assert frozen > 10_000
        # Frozen objects can still be freed (refcount to 0), so the count may drop a little.
        assert gc.get_freeze_count() > 10_000
        assert "trappen.dashboards.views" in sys.modules
        assert gc.collect() >= 0  # the collector still runs for what comes after
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
