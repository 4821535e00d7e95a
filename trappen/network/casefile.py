"""The network meetings and their minutes on the case page's timeline."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import TimelineEvent
from trappen.cases.models import Case


@registry.timeline(order=90)
def events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for m in loaded.network_meetings:  # shared with the activities' panel
        days = _("%(days)s days after the concern") % {"days": m.days_from_concern}
        yield TimelineEvent(
            m.starts_at,
            m.get_kind_display(),
            m.place,
            f"{m.concern}\n{days}",
            actor=m.chair,
            url=reverse("network:invitation", args=[m.pk]),
        )
        if m.minutes_written_at:
            yield TimelineEvent(
                m.minutes_written_at,
                _("Minutes"),
                m.get_kind_display(),
                m.agreements,
                actor=m.note_taker,
                url=reverse("network:minutes", args=[m.pk]),
            )
