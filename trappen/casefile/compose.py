"""The case page, composed once from every app's contributions."""

from dataclasses import dataclass
from typing import Any

from trappen.cases.models import Case

from .registry import Panel, TimelineEvent, event_sources, panel_sources


@dataclass(frozen=True)
class CaseFile:
    timeline: list[TimelineEvent]
    panels: list[Panel]


def timeline(case: Case) -> list[TimelineEvent]:
    """All the work on the case, newest first; events at the same moment in the sources'
    order."""
    events = [e for source in event_sources() for e in source(case)]
    return sorted(events, key=lambda e: e.at, reverse=True)


def compose(case: Case, user: Any) -> CaseFile:
    """`case` came through `policy.get_case`, which decided the access and audited the read."""
    panels = [p for source in panel_sources() if (p := source(case, user)) is not None]
    return CaseFile(timeline=timeline(case), panels=panels)
