"""F6 points 3 and 10 for the team meetings: minutes and decisions are writes with an author
that only the chair, the team leader and the author may change; the meeting pages write their
audit entries; anonymity follows the real membership of the people at the table.

Each test is named after the finding it reproduces (issue F6)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import consent_for
from trappen.audit.models import AuditAction, AuditEntry
from trappen.consent.models import Scope
from trappen.followups.calendar import feed_for
from trappen.meetings import services
from trappen.meetings.models import AgendaItem, Meeting, Participant

pytestmark = pytest.mark.django_db


def internal_meeting(org):
    """The north team's next internal meeting; the rotation makes Anna (cw1) its chair."""
    series = services.create_internal_series(org.north)
    day = timezone.localdate() + timedelta(days=1)
    meeting = services.plan(series, day, day)[0]
    assert meeting.chair == org.cw1
    return meeting


def post_minutes(client, meeting, minutes, decisions=None):
    data = {"minutes": minutes}
    data.update({f"decision_{pk}": text for pk, text in (decisions or {}).items()})
    return client.post(reverse("meetings:minutes", args=[meeting.pk]), data)


def last_sequence():
    entry = AuditEntry.objects.order_by("-sequence").first()
    return entry.sequence if entry else 0


def reads_of(case, since):
    out = []
    for entry in AuditEntry.objects.filter(sequence__gt=since, action=AuditAction.READ):
        shown = [(entry.object_type, entry.object_pk)] + [
            (t, p) for t, p, _c in entry.objects_shown or []
        ]
        if ("cases.case", str(case.pk)) in shown:
            out.append(entry)
    return out


# ---- minutes and decisions: writes with an author (point 3) -------------------------------------


def test_psychologist_cannot_rewrite_minutes(org):
    meeting = internal_meeting(org)
    assert (
        post_minutes(org.client(org.cw1), meeting, "Aftalt: Anna ringer skolen").status_code == 302
    )
    response = post_minutes(org.client(org.psych), meeting, "Intet aftalt")
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "Aftalt: Anna ringer skolen"
    assert meeting.minutes_by == org.cw1


def test_team_member_cannot_rewrite_item_decision(org):
    meeting = internal_meeting(org)
    item = services.add_item(meeting, kind="group", title="Uro i 3.b")
    post_minutes(org.client(org.cw1), meeting, "Referat", {item.pk: "PPR observerer"})
    assert (
        post_minutes(org.client(org.cw2), meeting, "Referat", {item.pk: "Intet"}).status_code == 403
    )
    item.refresh_from_db()
    assert (item.decision, item.decision_by) == ("PPR observerer", org.cw1)


def test_minutes_author_and_team_leader_may_change_them(org):
    meeting = internal_meeting(org)
    item = services.add_item(meeting, kind="group", title="Uro i 3.b")
    post_minutes(org.client(org.cw1), meeting, "Referat", {item.pk: "PPR observerer"})
    Meeting.objects.filter(pk=meeting.pk).update(chair=org.cw2)  # the chair changes
    # Anna is no longer the chair but wrote the minutes and the decision: she may correct them.
    response = post_minutes(
        org.client(org.cw1), meeting, "Referat, rettet", {item.pk: "PPR, uge 3"}
    )
    assert response.status_code == 302
    # The team leader may always.
    assert (
        post_minutes(
            org.client(org.leader), meeting, "Referat, godkendt", {item.pk: "PPR, uge 3"}
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.minutes, meeting.minutes_by) == ("Referat, godkendt", org.leader)
    assert (item.decision, item.decision_by) == ("PPR, uge 3", org.cw1)
    # The page offers the minutes form only to those who may write.
    page = org.client(org.psych).get(reverse("meetings:meeting", args=[meeting.pk]))
    assert reverse("meetings:minutes", args=[meeting.pk]) not in page.content.decode()
    assert (
        org.client(org.psych).get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 403
    )


def test_member_cannot_make_themselves_chair_to_rewrite_minutes(org):
    meeting = internal_meeting(org)
    post_minutes(org.client(org.cw1), meeting, "Referat")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    start = timezone.localtime(meeting.starts_at)
    data = {"day": start.date().isoformat(), "at": start.strftime("%H:%M"),
            "minutes_long": 90, "place": "", "chair": org.psych.pk}  # fmt: skip
    assert org.client(org.psych).post(url, data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.chair == org.cw1
    assert org.client(org.leader).post(url, data).status_code == 302  # the leader may
    meeting.refresh_from_db()
    assert meeting.chair == org.psych


def test_minutes_and_decision_changes_are_in_the_audit_log(org):
    meeting = internal_meeting(org)
    item = services.add_item(meeting, kind="group", title="Uro i 3.b")
    since = last_sequence()
    post_minutes(org.client(org.cw1), meeting, "Referat", {item.pk: "PPR observerer"})
    changes = AuditEntry.objects.filter(sequence__gt=since, action=AuditAction.UPDATE)
    kinds = {(e.object_type, e.object_pk) for e in changes}
    assert ("meetings.meeting", str(meeting.pk)) in kinds
    assert ("meetings.agendaitem", str(item.pk)) in kinds
    assert all(e.actor_id == org.cw1.pk for e in changes)
    assert all("Referat" not in str(e.detail) for e in changes)  # no free text in the log


# ---- the meeting pages write their audit entries (point 3) --------------------------------------


def test_minutes_and_order_pages_note_the_read_of_a_named_child(org):
    case = org.case()
    meeting = internal_meeting(org)
    services.add_item(meeting, kind="child", title="Bekymring", case=case)
    consent_for(case, org.psych, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    for name, user in (("meetings:minutes", org.cw1), ("meetings:agenda_order", org.leader)):
        since = last_sequence()
        page = org.client(user).get(reverse(name, args=[meeting.pk])).content.decode()
        assert case.child.first_name in page, name
        assert len(reads_of(case, since)) == 1, name


# ---- anonymity from real membership (point 10) --------------------------------------------------


def alone_with(org, meeting, **guest):
    """Only Anna (the case's caseworker) at the table, and one more participant."""
    meeting.participants.exclude(user=org.cw1).delete()
    Participant.objects.create(meeting=meeting, fixed=False, **guest)


def test_meeting_anonymity_ignores_a_typed_guest_role(org):
    case = org.case()
    meeting = internal_meeting(org)
    services.add_item(meeting, kind="child", title="Bekymring", case=case)
    alone_with(org, meeting, name="Ukendt gæst", role=Participant.Role.CASEWORKER)
    page = org.client(org.cw2).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert case.child.first_name not in page
    assert not services.may_name(AgendaItem.objects.get(), org.cw2)


def test_a_caseworker_of_another_team_at_the_table_needs_consent(org):
    case = org.case()
    meeting = internal_meeting(org)
    item = services.add_item(meeting, kind="child", title="Bekymring", case=case)
    alone_with(org, meeting, user=org.cw_south, role=Participant.Role.CASEWORKER)
    assert not services.may_name(item, org.cw2)
    consent_for(case, org.cw_south, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    assert services.may_name(item, org.cw2)  # the deny side is real


def test_own_team_caseworkers_need_no_consent(org):
    case = org.case()
    meeting = internal_meeting(org)
    item = services.add_item(meeting, kind="child", title="Bekymring", case=case)
    alone_with(org, meeting, user=org.leader, role=Participant.Role.TEAM_LEADER)
    assert services.may_name(item, org.cw2)


# ---- the meeting lists and the feed follow the policy (point 1) ---------------------------------


def test_moved_member_loses_the_old_teams_meetings(org):
    meeting = internal_meeting(org)
    uid = f"UID:meeting-{meeting.pk}@trappen"
    assert uid in feed_for(org.psych, timezone.localdate())
    org.psych.team = org.south
    org.psych.save()
    assert uid not in feed_for(org.psych, timezone.localdate())
    page = org.client(org.psych).get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:meeting", args=[meeting.pk]) not in page


def test_another_teams_agreement_answers_404(org):
    meeting = internal_meeting(org)
    agreement = services.add_agreement(meeting, who="Anna", what="Ringe", due_on=meeting.day)
    south = services.create_internal_series(org.south)
    south_meeting = services.plan(south, meeting.day, meeting.day)[0]
    url = reverse("meetings:agreement_close", args=[agreement.pk])
    # Before: found, then refused with a message naming the series rule (it exists).
    response = org.client(org.cw_south).post(url, {"meeting": south_meeting.pk})
    assert response.status_code == 404
    assert org.client(org.cw1).post(url, {"meeting": meeting.pk}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.closed_on is not None
