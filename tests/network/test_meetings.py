from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.access.helpers import share_with_consent
from trappen.casefile.calendar import events_for as all_events
from trappen.network import services
from trappen.network.calendar import events_for
from trappen.network.models import NetworkMeeting, Participant

from .conftest import at, days_ago, meeting

Role = Participant.Role


@pytest.mark.parametrize("gap", [0, 7, 8])
def test_days_from_concern_to_meeting_are_shown_not_measured(org, case, gap):
    """The seed's "én uge" is about reserved slots (test_slots.py), not a concern-to-meeting
    target (F8 point 7): the days are shown, no meeting is flagged late."""
    m = meeting(case, by=org.cw1, concern_on=days_ago(gap + 2), meeting_on=days_ago(2))
    assert m.days_from_concern == gap
    assert not hasattr(m, "within_aim")


def test_the_case_page_shows_the_days_without_an_aim(org, case):
    meeting(case, by=org.cw1, concern_on=days_ago(30), meeting_on=days_ago(10))
    client = org.client(org.cw1)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    row = page.split('id="work"')[1].split("</table>")[0]
    assert "<td>20</td>" in row
    assert "Later than the aim of one week" not in row


def test_a_meeting_must_end_after_it_starts_and_follow_the_concern(org, case):
    with pytest.raises(ValidationError):
        meeting(case, by=org.cw1, concern_on=days_ago(5), meeting_on=days_ago(2),
                ends_at=at(days_ago(2), 9))  # fmt: skip
    with pytest.raises(ValidationError):
        meeting(case, by=org.cw1, concern_on=days_ago(1), meeting_on=days_ago(2))
    assert not NetworkMeeting.objects.exists()


def test_minutes_need_agreements_and_a_held_meeting(org, case):
    future = meeting(case, by=org.cw1, concern_on=days_ago(1), meeting_on=days_ago(-3))
    with pytest.raises(ValidationError):
        services.write_minutes(future, agreements="Noget")
    held = meeting(case, by=org.cw1, concern_on=days_ago(5), meeting_on=days_ago(1))
    with pytest.raises(ValidationError):
        services.write_minutes(held, concerns="Fravær", agreements="  ")
    held.refresh_from_db()
    assert held.minutes_written_at is None


def test_calling_a_meeting_through_the_page(org, case):
    client = org.client(org.cw1)
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0)
    data = {
        "kind": "network", "concern": "Uro i klassen", "concern_on": days_ago(2).isoformat(),
        "purpose": "At samle de voksne", "reason": "Vi er bekymrede",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Nordby Skole", "chair": "Anna", "procedure": "", "contact_name": "Anna",
        "contact_phone": "", "signed_by": "Anna, rådgiver",
        "p-TOTAL_FORMS": "3", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "30",
        "p-0-role": "teacher-typo", "p-0-name": "",
        "p-1-role": "parent", "p-1-name": "Mor Barnesen",
        "p-2-role": "psychologist", "p-2-name": "", "p-2-user": str(org.psych.pk),
    }  # fmt: skip
    response = client.post(f"/cases/{case.pk}/network-meetings/new/", data)
    assert response.status_code == 200  # an unknown role is refused
    assert not NetworkMeeting.objects.exists()
    data["p-0-role"] = ""
    response = client.post(f"/cases/{case.pk}/network-meetings/new/", data)
    m = NetworkMeeting.objects.get()
    assert response.status_code == 302 and response.url == f"/network-meetings/{m.pk}/invitation/"
    people = m.ordered_participants()
    assert [(p.role, p.name, p.user) for p in people] == [
        (Role.PARENT, "Mor Barnesen", None),
        (Role.PSYCHOLOGIST, str(org.psych), org.psych),
    ]
    assert m.created_by == org.cw1 and m.days_from_concern == 5


def test_only_the_case_editors_call_a_meeting_and_readers_read_it(org, case):
    share_with_consent(case, org.psych, by=org.cw1)
    m = meeting(case, by=org.cw1, concern_on=days_ago(5), meeting_on=days_ago(1))
    assert org.client(org.cw2).get(f"/cases/{case.pk}/network-meetings/new/").status_code == 403
    assert org.client(org.psych).get(f"/network-meetings/{m.pk}/invitation/").status_code == 200
    assert org.client(org.psych).get(f"/network-meetings/{m.pk}/minutes/edit/").status_code == 403
    assert org.client(org.cw_south).get(f"/network-meetings/{m.pk}/minutes/").status_code == 404
    response = org.client(org.cw1).post(
        f"/network-meetings/{m.pk}/minutes/edit/",
        {"concerns": "Fravær", "works": "Kontakten", "want_to_see": "Fremmøde",
         "agreements": "Mor følger i skole", "note_taker": "Anna", "contact_person": "Anna"},
    )  # fmt: skip
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.has_minutes and m.agreements == "Mor følger i skole"


def test_calendar_events_for_participants_and_the_case_owner_without_the_child(org, case):
    hv = org.user("hanne", "health_visitor", org.north)
    people = [
        services.Person(Role.CHILD, case.child.full_name),
        services.Person(Role.PSYCHOLOGIST, "Peter", org.psych),
    ]
    m = meeting(case, by=org.cw1, concern_on=days_ago(3), meeting_on=days_ago(-2), people=people)
    meeting(case, by=org.cw1, concern_on=days_ago(90), meeting_on=days_ago(60))  # outside
    window = (days_ago(7), days_ago(-7))
    for user in (org.cw1, org.psych):
        events = events_for(user, *window)
        assert [e.uid for e in events] == [f"network-meeting-{m.pk}@trappen"]
        assert (events[0].start, events[0].end, events[0].location) == (
            m.starts_at, m.ends_at, m.place,
        )  # fmt: skip
        summary = events[0].summary
        assert case.child.first_name not in summary and case.child.last_name not in summary
        assert case.child.cpr not in summary
    assert events_for(org.cw2, *window) == [] and events_for(hv, *window) == []
    assert [e.uid for e in all_events(org.psych, *window)] == [events[0].uid]
