"""What an app contributes to the case page: timeline events and a panel.

In the app's `casefile.py`:

    @registry.timeline(order=40)
    def events(case: Case, loaded: Loaded) -> Iterable[TimelineEvent]: ...

    @registry.panel(order=30)
    def panel(case: Case, user: User, loaded: Loaded) -> Panel | None: ...

`order` places a panel on the page (top to bottom) and breaks ties between events at the same
moment. Sources only read: the case came through the policy and its read is already audited.

`loaded` (`trappen.casefile.loaded.Loaded`) holds the case's rows read once for the whole page
(episodes, follow-ups, investigations, ...): read them there rather than querying the case
again. It is optional: a source without a parameter named `loaded` is called as
`events(case)` / `panel(case, user)`.
"""

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar

from django.utils import timezone


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    url: str = ""
    all_day: bool = False


@dataclass(frozen=True)
class Panel:
    """A section of the case page: its template and that template's whole context."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


EventSource = Callable[..., Iterable[TimelineEvent]]
PanelSource = Callable[..., Panel | None]
S = TypeVar("S", bound=Callable[..., Any])

_timeline: list[tuple[int, str, EventSource]] = []
_panels: list[tuple[int, str, PanelSource]] = []


def _key(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _add(sources: list[tuple[int, str, Any]], order: int, fn: Any) -> None:
    # Registering the same function twice (a module imported again) keeps one entry.
    sources[:] = [s for s in sources if s[1] != _key(fn)]
    sources.append((order, _key(fn), fn))
    sources.sort(key=lambda s: (s[0], s[1]))


def timeline(order: int) -> Callable[[S], S]:
    def register(fn: S) -> S:
        _add(_timeline, order, fn)
        return fn

    return register


def panel(order: int) -> Callable[[S], S]:
    def register(fn: S) -> S:
        _add(_panels, order, fn)
        return fn

    return register


def event_sources() -> list[EventSource]:
    return [fn for _, _, fn in _timeline]


def panel_sources() -> list[PanelSource]:
    return [fn for _, _, fn in _panels]


@functools.cache
def takes_loaded(fn: Callable[..., Any]) -> bool:
    """Does the source ask for the case's loaded rows (a parameter named `loaded`)?"""
    try:
        return "loaded" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def day_end(d: date) -> datetime:
    """A date-only event's moment: it sorts after the timed events of the same day."""
    return timezone.make_aware(datetime.combine(d, time(23, 59)))
