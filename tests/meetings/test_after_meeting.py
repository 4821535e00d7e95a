"""After a resource-centre meeting, as Herningmodellen 1.0 describes it (Ressourcecentermøder
Skoler, "Efter mødet"): the school's coordinator writes the decision minutes and sends them to the
participants, each recipient recorded; the teacher calls the parents on the day of the meeting; and
the coordinator receives the descriptions before it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from trappen.audit.models import AuditEntry
from trappen.meetings import services
from trappen.meetings.models import MinutesRecipient, School
from trappen.notices.models import Notice
from trappen.organisation.models import Profession

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(org):
    school = School.objects.create(name="Nordby Skole", district=org.d_north)
    school.contacts.add(org.user("koordinator", Profession.SCHOOL, None))
    school.contacts.add(org.user("laerer", Profession.SCHOOL, None))
    school.fixed_participants.add(org.psych)
    return school


def contact(school, username):
    return school.contacts.get(username=username)


def held_meeting(school, days_ago=3):
    """A series run by the school's own coordinator, with one meeting `days_ago` days ago."""
    series = services.create_resource_centre_series(
        school, coordinator=contact(school, "koordinator")
    )
    day = timezone.localdate() - timedelta(days=days_ago)
    return services.plan(series, day, day)[0]


def test_the_teacher_calls_the_parents_on_the_day_of_the_meeting(org, school):
    """Herningmodellen 1.0: "De lærere, som har bedt om fremlæggelse på ressourcecentermødet,
    kontakter forældrene på dagen for mødets afholdelse med henblik på at orientere om anbefalinger,
    mødedatoer og eventuelle tiltag til godkendelse": the call is recorded with its day, who called
    and what the parents were told, and the change is audited."""
    meeting = held_meeting(school)
    item = services.add_item(meeting, kind="child", title="Dreng, 3.b")
    teacher = contact(school, "laerer")
    before = AuditEntry.objects.count()
    response = org.client(teacher).post(
        reverse("meetings:item_parents_called", args=[item.pk]),
        {"called_on": meeting.day.isoformat(), "note": "Anbefaling: samtaler hos PPR"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.parents_called_on == meeting.day
    assert item.parents_called_by == teacher
    assert item.parents_call_note == "Anbefaling: samtaler hos PPR"
    assert not item.parents_called_late
    assert AuditEntry.objects.count() > before
    page = org.client(org.cw1).get(reverse("meetings:meeting", args=[meeting.pk])).content
    assert meeting.day.strftime("%d.%m.%Y") in page.decode()


def test_the_call_to_the_parents_comes_after_the_meeting_and_a_later_day_is_flagged(org, school):
    """Herningmodellen 1.0: the parents are contacted "på dagen for mødets afholdelse": not before
    the meeting (there is nothing to tell yet), never on a day to come, only for an item about a
    child; a call on a later day is kept and shown as not on the meeting's day."""
    meeting = held_meeting(school, days_ago=5)
    item = services.add_item(meeting, kind="child", title="Pige, 2.a")
    with pytest.raises(ValidationError):
        services.record_parents_called(item, on=meeting.day - timedelta(days=1), by=org.cw1)
    with pytest.raises(ValidationError):
        services.record_parents_called(
            item, on=timezone.localdate() + timedelta(days=1), by=org.cw1
        )
    group = services.add_item(meeting, kind="group", title="4.a")
    with pytest.raises(ValidationError):
        services.record_parents_called(group, on=meeting.day, by=org.cw1)
    services.record_parents_called(item, on=meeting.day + timedelta(days=2), by=org.cw1)
    item.refresh_from_db()
    assert item.parents_called_late
    page = org.client(org.cw1).get(reverse("meetings:meeting", args=[meeting.pk])).content
    assert "flag amber" in page.decode()


def test_the_schools_coordinator_writes_and_sends_the_minutes_to_the_participants(org, school):
    """Herningmodellen 1.0: "Under mødet er det koordinator, der fungerer som ordstyrer [...] og
    laver et beslutningsreferat" and "Efter mødet udfærdiger koordinator et beslutningsreferat fra
    møderne [...], som sendes til deltagerne": the school's coordinator writes the minutes and a
    decision per item, sends them, and each participant is recorded with the time; staff get a
    notice naming no child; a guest is recorded as sent outside trappen."""
    meeting = held_meeting(school)
    item = services.add_item(meeting, kind="child", title="Dreng, 3.b")
    services.add_participant(meeting, name="Talepædagog Ida", role="speech_therapist")
    coordinator = contact(school, "koordinator")
    client = org.client(coordinator)
    assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 200
    client.post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {"minutes": "Drøftet to punkter.", f"decision_{item.pk}": "PPR tager en samtale"},
    )
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.minutes == "Drøftet to punkter." and meeting.minutes_by == coordinator
    assert item.decision == "PPR tager en samtale" and item.decision_by == coordinator

    response = client.post(reverse("meetings:minutes_send", args=[meeting.pk]))
    assert response.status_code == 302
    recipients = {r.name: r for r in MinutesRecipient.objects.filter(meeting=meeting)}
    assert set(recipients) == {str(org.psych), "Talepædagog Ida"}
    assert all(r.sent_by == coordinator for r in recipients.values())
    assert recipients["Talepædagog Ida"].user is None
    notice = Notice.objects.get(recipient=org.psych)
    assert "Dreng" not in notice.text
    # Sent again: nobody twice; a participant added later is sent them.
    assert services.send_minutes(meeting, by=coordinator) == []
    services.add_participant(meeting, user=org.cw1)
    assert [r.user for r in services.send_minutes(meeting, by=coordinator)] == [org.cw1]
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Talepædagog Ida" in page


def test_only_who_may_write_the_minutes_sends_them_and_only_once_written(org, school):
    """The minutes are the coordinator's record: another teacher of the school neither writes
    nor sends them; nothing is sent before the minutes are written."""
    meeting = held_meeting(school)
    coordinator = contact(school, "koordinator")
    with pytest.raises(ValidationError):
        services.send_minutes(meeting, by=coordinator)
    teacher = org.client(contact(school, "laerer"))
    assert teacher.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 404
    services.record_minutes(meeting, minutes="Referat", decisions={}, by=coordinator)
    assert teacher.post(reverse("meetings:minutes_send", args=[meeting.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.send_minutes(meeting, by=contact(school, "laerer"))
    assert not MinutesRecipient.objects.exists()


def test_the_coordinator_is_told_of_a_new_description(org, school):
    """Herningmodellen 1.0: "Det er koordinatoren, der modtager beskrivelserne, med deadline 14 dage
    før mødet": a submission sends the series' coordinator a notice naming the school and the
    meeting's day, never the child or the description."""
    series = services.create_resource_centre_series(
        school, coordinator=contact(school, "koordinator")
    )
    first = timezone.localdate() + timedelta(days=30)
    meeting = services.plan(series, first, first)[0]
    services.submit(
        school, by=contact(school, "laerer"), kind="child", title="Dreng, 3.b",
        description="Uro i timerne", parents_shown=True,
    )  # fmt: skip
    notice = Notice.objects.get(recipient=contact(school, "koordinator"))
    assert "Nordby Skole" in notice.text
    assert date_format(meeting.day, "SHORT_DATE_FORMAT") in notice.text
    assert "Dreng" not in notice.text and "Uro" not in notice.text
    assert not Notice.objects.filter(recipient=contact(school, "laerer")).exists()
