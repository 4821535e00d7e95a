"""The action plan's revisions on the case page's timeline."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import TimelineEvent
from trappen.cases.models import Case


@registry.timeline(order=40)
def events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for rev in loaded.plan_revisions:  # shared with the measures' law warnings
        yield TimelineEvent(
            rev.created_at,
            _("Action plan"),
            _("Revision %(number)s") % {"number": rev.number},
            actor=str(rev.author),
            url=reverse("plans:revision", args=[case.pk, rev.number]),
        )
