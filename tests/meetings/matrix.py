"""Meeting objects for the permission matrix (tests/access): one internal meeting of the
bundle's team with an agreement and an item about the bundle's child, made on first use."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from trappen.meetings import services
from trappen.meetings.models import Agreement, Meeting, Series


def meeting_pk(bundle: Any) -> list[int]:
    team = bundle.case.team
    meeting = Meeting.objects.filter(series__team=team).first()
    if meeting is None:
        series = Series.objects.filter(team=team).first() or services.create_internal_series(team)
        today = timezone.localdate()
        meeting = services.plan(series, today + timedelta(days=3), today + timedelta(days=3))[0]
        services.add_agreement(meeting, who="Team", what="Opfølgning", due_on=today)
        # An item about the bundle's child: no consent to named discussion covers the table,
        # so every meeting page must keep it anonymous (the matrix checks no page names it).
        services.add_item(meeting, kind="child", title="Bekymring", case=bundle.case)
    return [meeting.pk]


def agenda_item_pk(bundle: Any) -> list[int]:
    meeting = Meeting.objects.get(pk=meeting_pk(bundle)[0])
    return [meeting.items.order_by("pk").first().pk]  # type: ignore[union-attr]


def agreement_pk(bundle: Any) -> list[int]:
    meeting = Meeting.objects.get(pk=meeting_pk(bundle)[0])
    return [Agreement.objects.filter(made_at=meeting).first().pk]  # type: ignore[union-attr]
