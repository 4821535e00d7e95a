"""The case's own history on the case page's timeline: assignments, journal, early steps,
transfers and the closure."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from trappen.casefile import registry
from trappen.casefile.loaded import Loaded
from trappen.casefile.registry import TimelineEvent, day_end

from .models import Case


@registry.timeline(order=20)
def events(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for a in loaded.assignments:
        if a.handover is None:
            yield TimelineEvent(
                a.assigned_at, _("Assigned"), str(a.caseworker), actor=str(a.assigned_by)
            )
            continue
        h = a.handover  # handed over inside the team: the reason, the date and the note
        yield TimelineEvent(
            a.assigned_at,
            _("Handed over"),
            _("%(name)s (%(reason)s, %(date)s)")
            % {
                "name": a.caseworker,
                "reason": h.get_reason_display().lower(),
                "date": h.handover_on.strftime("%d.%m.%Y"),
            },
            h.note,
            actor=str(a.assigned_by),
        )
    for j in loaded.journal:
        yield TimelineEvent(
            j.written_at, _("Journal"), j.get_heading_display(), j.text, actor=str(j.author)
        )
    for s in loaded.early_steps:
        title = s.get_kind_display()
        if s.talk_number:
            title = f"{title} ({s.talk_number})"
        yield TimelineEvent(
            day_end(s.held_on),
            _("Early step"),
            title,
            ", ".join(s.profession_labels()),
            actor=str(s.recorded_by),
            all_day=True,
        )


@registry.timeline(order=80)
def endings(case: Case, loaded: Loaded) -> Iterator[TimelineEvent]:
    for t in loaded.transfers:  # shared with the page's pending transfer
        yield TimelineEvent(
            t.requested_at,
            _("Transfer requested"),
            f"{t.from_team} → {t.to_team}",
            _("Handover meeting %(date)s") % {"date": t.handover_meeting_on.strftime("%d.%m.%Y")},
        )
        if t.completed_at:
            yield TimelineEvent(t.completed_at, _("Transfer completed"), str(t.to_team))
    if case.closed_on:
        yield TimelineEvent(
            day_end(case.closed_on),
            _("Case closed"),
            case.get_closure_reason_display(),
            case.closure_note,
            all_day=True,
        )
