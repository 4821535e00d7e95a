"""The notifications on the case page's timeline."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import TimelineEvent
from trappen.cases.models import Case


@registry.timeline(order=10)
def events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for n in loaded.notifications:  # with their assessor and organisation (casefile.loaded)
        url = reverse("intake:notification", args=[n.pk])
        who = n.get_source_display()
        if n.organisation_label and not n.is_anonymous:
            who = f"{who}: {n.organisation_label}"
        yield TimelineEvent(n.received_at, n.get_kind_display(), who, url=url)
        if n.assessed_at:
            urgent = _("urgent action needed") if n.urgent_action else _("no urgent action")
            yield TimelineEvent(
                n.assessed_at,
                _("24-hour assessment"),
                urgent,
                actor=str(n.assessed_by),
                url=url,
            )
