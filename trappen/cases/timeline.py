"""The case's whole history on one timeline, newest first."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trappen.investigations.models import ChildInvestigation
from trappen.measures.models import Episode
from trappen.plans.models import ActionPlanRevision

from .models import Case


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    url: str = ""
    all_day: bool = False


def _day(d: date) -> datetime:
    # Date-only events sort after timed events of the same day.
    return timezone.make_aware(datetime.combine(d, time(23, 59)))


def _step_label(step: int | None) -> str:
    return _("no measure") if step is None else _("step %(step)s") % {"step": step}


def events(case: Case) -> list[Event]:
    out: list[Event] = []
    for n in case.notifications.select_related("assessed_by"):
        url = reverse("notification", args=[n.pk])
        out.append(Event(n.received_at, _("Notification"), n.get_source_display(), url=url))
        if n.assessed_at:
            urgent = _("urgent action needed") if n.urgent_action else _("no urgent action")
            out.append(
                Event(
                    n.assessed_at,
                    _("24-hour assessment"),
                    urgent,
                    actor=str(n.assessed_by),
                    url=url,
                )
            )
    for a in case.assignments.select_related("caseworker", "assigned_by"):
        out.append(Event(a.assigned_at, _("Assigned"), str(a.caseworker), actor=str(a.assigned_by)))
    for j in case.journal.select_related("author"):
        out.append(
            Event(j.written_at, _("Journal"), j.get_heading_display(), j.text, actor=str(j.author))
        )
    for s in case.early_steps.select_related("recorded_by"):
        title = s.get_kind_display()
        if s.talk_number:
            title = f"{title} ({s.talk_number})"
        out.append(
            Event(
                _day(s.held_on),
                _("Early step"),
                title,
                ", ".join(s.profession_labels()),
                actor=str(s.recorded_by),
                all_day=True,
            )
        )
    inv: ChildInvestigation
    for inv in case.investigations.all():
        url = reverse("investigation", args=[inv.pk])
        out.append(
            Event(
                _day(inv.started_on), _("Child investigation"), _("Started"), url=url, all_day=True
            )
        )
        if inv.completed_on:
            out.append(
                Event(
                    _day(inv.completed_on),
                    _("Child investigation"),
                    _("Completed"),
                    inv.conclusion,
                    url=url,
                    all_day=True,
                )
            )
    rev: ActionPlanRevision
    for rev in ActionPlanRevision.objects.filter(plan__case=case).select_related("author"):
        out.append(
            Event(
                rev.created_at,
                _("Action plan"),
                _("Revision %(number)s") % {"number": rev.number},
                actor=str(rev.author),
                url=reverse("action_plan_revision", args=[case.pk, rev.number]),
            )
        )
    ep: Episode
    for ep in case.episodes.select_related("intervention"):
        step = _("step %(step)s") % {"step": ep.intervention.step_id}
        out.append(
            Event(
                _day(ep.start_on), _("Measure started"), f"{ep.intervention} ({step})", all_day=True
            )
        )
        if ep.end_on:
            out.append(
                Event(
                    _day(ep.end_on),
                    _("Measure ended"),
                    str(ep.intervention),
                    ep.get_end_reason_display(),
                    all_day=True,
                )
            )
    for f in case.follow_ups.select_related("episode__intervention", "recorded_by"):
        detail = f.get_form_display()
        if f.child_conversation:
            detail += ", " + _("child conversation")
        out.append(
            Event(
                _day(f.held_on),
                _("Follow-up"),
                str(f.episode.intervention),
                f"{detail} · {f.get_plan_review_display()}",
                actor=str(f.recorded_by),
                all_day=True,
            )
        )
    for m in case.movements.select_related("recorded_by"):
        direction = _("down") if m.is_down else _("up")
        steps = f"{_step_label(m.from_step)} → {_step_label(m.to_step)} ({direction})"
        out.append(
            Event(
                _day(m.moved_on),
                _("Movement on the staircase"),
                steps,
                m.get_reason_display(),
                all_day=True,
            )
        )
    for v in case.visitation_requests.select_related("intervention", "decided_by"):
        if v.decided_on:
            out.append(
                Event(
                    _day(v.decided_on),
                    _("Visitation committee"),
                    str(v.intervention),
                    v.get_status_display(),
                    actor=str(v.decided_by or ""),
                    all_day=True,
                )
            )
    for t in case.transfers.select_related("to_team", "from_team"):
        out.append(
            Event(
                t.requested_at,
                _("Transfer requested"),
                f"{t.from_team} → {t.to_team}",
                _("Handover meeting %(date)s")
                % {"date": t.handover_meeting_on.strftime("%d.%m.%Y")},
            )
        )
        if t.completed_at:
            out.append(Event(t.completed_at, _("Transfer completed"), str(t.to_team)))
    if case.closed_on:
        out.append(
            Event(
                _day(case.closed_on),
                _("Case closed"),
                case.get_closure_reason_display(),
                case.closure_note,
                all_day=True,
            )
        )
    return sorted(out, key=lambda e: e.at, reverse=True)
