"""The case page, composed once from every app's contributions."""

from dataclasses import dataclass
from typing import Any

from trappen.cases.models import Case

from .loaded import Loaded
from .registry import Panel, TimelineEvent, event_sources, panel_sources, takes_loaded


@dataclass(frozen=True)
class CaseFile:
    timeline: list[TimelineEvent]
    panels: list[Panel]
    # The case's rows as the panels and the timeline read them (the view shows more of them).
    loaded: Loaded | None = None


def timeline(case: Case, loaded: Loaded | None = None) -> list[TimelineEvent]:
    """All the work on the case, newest first; events at the same moment in the sources'
    order."""
    rows = loaded or Loaded(case)
    events = [
        e
        for source in event_sources()
        for e in (source(case, loaded=rows) if takes_loaded(source) else source(case))
    ]
    return sorted(events, key=lambda e: e.at, reverse=True)


def compose(case: Case, user: Any, loaded: Loaded | None = None) -> CaseFile:
    """`case` came through `policy.get_case`, which decided the access and audited the read.
    The case's rows are read once (`Loaded`) and shared by every panel and the timeline."""
    rows = loaded or Loaded(case)
    # The case's investigations and notifications kept on the case first: every
    # `case.investigations.all()` below (panels, the follow-up plans, the deadlines) reads them.
    rows.keep_on_case()
    panels = [
        p
        for source in panel_sources()
        if (p := source(case, user, loaded=rows) if takes_loaded(source) else source(case, user))
        is not None
    ]
    return CaseFile(timeline=timeline(case, rows), panels=panels, loaded=rows)
