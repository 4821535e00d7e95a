"""Resource-centre meetings run by the school (F8 point 7), as Herningmodellen 1.0 describes them
(Ressourcecentermøder Skoler, 26/11 2015): the school's coordinator orders the agenda, the
school's contacts see it, and an item about a child waits for the parents' information step."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import consent_for
from trappen.audit.models import AuditEntry
from trappen.consent.models import Scope
from trappen.meetings import services
from trappen.meetings.models import AgendaItem, School
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


def school_run(school):
    """A series with the school's own coordinator and its next meeting 30 days ahead."""
    series = services.create_resource_centre_series(
        school, coordinator=contact(school, "koordinator")
    )
    first = timezone.localdate() + timedelta(days=30)
    return series, services.plan(series, first, first + timedelta(days=60))[0]


def submit(school, kind, title, on=None):
    return services.submit(
        school, by=contact(school, "laerer"), kind=kind, title=title,
        description="Beskrivelse", parents_shown=True, on=on or timezone.localdate(),
    )  # fmt: skip


def test_the_schools_coordinator_orders_the_agenda(org, school):
    """Herningmodellen 1.0: "Det er skolerne som vil have det overordnede ansvar for afholdelse af
    møderne. Fra skolen deltager skoleledelsen, en koordinator ..." and "Det er koordinatoren, der
    modtager beskrivelserne ... Efterfølgende foretager koordinatoren en prioritering med henblik på
    udarbejdelse af en dagsorden for mødet" (Herningmodellen 1.0): the school's coordinator, a
    school contact, orders the agenda; moving an item up makes the whole order the coordinator's."""
    series, meeting = school_run(school)
    assert series.coordinator == contact(school, "koordinator")
    submit(school, "information", "Nyt fra ledelsen")
    submit(school, "child", "Dreng, 3.b")
    client = org.client(contact(school, "koordinator"))
    url = reverse("meetings:agenda_order", args=[meeting.pk])
    assert client.get(url).status_code == 200
    info = AgendaItem.objects.get(title="Nyt fra ledelsen")
    response = client.post(url, {"up": info.pk})
    assert response.status_code == 302
    assert [s.item.title for s in services.agenda(meeting)] == ["Nyt fra ledelsen", "Dreng, 3.b"]
    client.post(url, {"down": info.pk})
    assert [s.item.title for s in services.agenda(meeting)] == ["Dreng, 3.b", "Nyt fra ledelsen"]
    # Another contact of the school sees the agenda but does not order it.
    teacher = org.client(contact(school, "laerer"))
    assert teacher.get(url).status_code == 403
    assert teacher.post(url, {"up": info.pk}).status_code == 403
    assert [s.item.title for s in services.agenda(meeting)] == ["Dreng, 3.b", "Nyt fra ledelsen"]


def test_the_coordinator_is_a_contact_of_the_school_or_a_team_member(org, school):
    """Herningmodellen 1.0: "Fra skolen deltager skoleledelsen, en koordinator": the coordinator of
    one school's meetings is never a contact of another school."""
    other = School.objects.create(name="Sydby Skole", district=org.d_north)
    stranger = org.user("fremmed", Profession.SCHOOL, None)
    other.contacts.add(stranger)
    series, _meeting = school_run(school)
    with pytest.raises(ValidationError):
        services.set_coordinator(series, stranger)
    services.set_coordinator(series, org.cw1)  # a member of the district team may coordinate
    assert series.coordinator == org.cw1


def test_the_team_leader_names_the_schools_coordinator_on_the_meeting_page(org, school):
    """The schools have the overall responsibility (Herningmodellen 1.0): the team leader hands the
    coordination to the school's own coordinator."""
    series = services.create_resource_centre_series(school)
    assert series.coordinator == org.leader  # the default until the school's is named
    first = timezone.localdate() + timedelta(days=30)
    meeting = services.plan(series, first, first)[0]
    url = reverse("meetings:coordinator", args=[meeting.pk])
    coordinator = contact(school, "koordinator")
    assert org.client(coordinator).post(url, {"coordinator": coordinator.pk}).status_code == 404
    org.client(org.leader).post(url, {"coordinator": coordinator.pk})
    series.refresh_from_db()
    assert series.coordinator == coordinator


def test_the_school_contacts_see_their_schools_agenda_and_no_other(org, school):
    """School contacts of the school see the agenda of their school's resource-centre meetings
    ("Fra skolen deltager skoleledelsen, en koordinator og øvrige relevante medarbejdere", seed
    002); a contact of another school does not, and nothing there can be changed by them."""
    _series, meeting = school_run(school)
    submit(school, "group", "4.a uro")
    url = reverse("meetings:meeting", args=[meeting.pk])
    page = org.client(contact(school, "laerer")).get(url)
    assert page.status_code == 200
    assert "4.a uro" in page.content.decode()
    assert reverse("meetings:item_add", args=[meeting.pk]) not in page.content.decode()
    submit_page = org.client(contact(school, "laerer")).get(reverse("meetings:submit"))
    assert url in submit_page.content.decode()
    other = School.objects.create(name="Sydby Skole", district=org.d_north)
    stranger = org.user("fremmed", Profession.SCHOOL, None)
    other.contacts.add(stranger)
    assert org.client(stranger).get(url).status_code == 404
    for name in ("item_add", "minutes", "meeting_edit"):
        target = reverse(f"meetings:{name}", args=[meeting.pk])
        assert org.client(contact(school, "laerer")).get(target).status_code == 404


def test_the_school_side_sees_no_description_of_an_item_on_a_case(org, school):
    """No case content for the school beyond what the policy allows: an item the team put on
    the agenda about a case shows its title only, unless the child may be named to them."""
    _series, meeting = school_run(school)
    case = org.case()
    services.add_item(
        meeting, kind="child", title="Pige, 2.a", description="Sagens oplysninger", case=case
    )
    page = org.client(contact(school, "laerer")).get(reverse("meetings:meeting", args=[meeting.pk]))
    text = page.content.decode()
    assert "Pige, 2.a" in text
    assert "Sagens oplysninger" not in text and case.child.first_name not in text
    team = org.client(org.cw1).get(reverse("meetings:meeting", args=[meeting.pk]))
    assert "Sagens oplysninger" in team.content.decode()


def test_a_childs_submission_records_the_parents_information(org, school):
    """Herningmodellen 1.0: "Hvis det vedrører et barn, fremlægges beskrivelsen for forældrene med
    mulighed for bemærkninger og med besked om forventet dato for fremlæggelse" (Herningmodellen
    1.0): a description about a child reaches the agenda with the parents informed, on the day and
    by the teacher who submitted it."""
    _series, _meeting = school_run(school)
    done = submit(school, "child", "Dreng, 3.b", on=timezone.localdate())
    item = done.submission.item
    assert item.parents_informed_on == timezone.localdate()
    assert item.parents_informed_by == contact(school, "laerer")
    group = submit(school, "group", "4.a").submission.item
    assert group.parents_informed_on is None and not group.needs_parents_informed


def test_a_child_is_not_named_before_the_parents_are_informed(org, school):
    """Herningmodellen 1.0: "Inden et ressourcecentermøde ... fremlægges beskrivelsen for
    forældrene": an item about a child on a resource-centre agenda is not discussed by name until
    the parents' information is recorded (date, by whom), even when consent covers the table."""
    _series, meeting = school_run(school)
    case = org.case()
    item = services.add_item(meeting, kind="child", title="Dreng, 5.c", case=case)
    consent_for(case, org.psych, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    assert not services.may_name(item, org.cw1)
    url = reverse("meetings:meeting", args=[meeting.pk])
    assert case.child.first_name not in org.client(org.cw1).get(url).content.decode()

    before = AuditEntry.objects.count()
    org.client(contact(school, "koordinator")).post(
        reverse("meetings:item_parents", args=[item.pk]),
        {"informed_on": timezone.localdate().isoformat(), "remarks": "Mor er enig"},
    )
    item.refresh_from_db()
    assert item.parents_informed_on == timezone.localdate()
    assert item.parents_informed_by == contact(school, "koordinator")
    assert item.parents_remarks == "Mor er enig"
    assert AuditEntry.objects.count() > before  # the change is in the audit log
    assert services.may_name(item, org.cw1)
    assert case.child.full_name in org.client(org.cw1).get(url).content.decode()


def test_the_parents_information_is_refused_in_the_future_and_off_a_child_item(org, school):
    """The parents' information step is a recorded fact: not on a day to come, and only for a
    resource-centre item about a child (the seed's rule is about those)."""
    _series, meeting = school_run(school)
    item = services.add_item(meeting, kind="child", title="Dreng, 5.c")
    with pytest.raises(ValidationError):
        services.record_parents_informed(
            item, on=timezone.localdate() + timedelta(days=1), by=org.cw1
        )
    group = services.add_item(meeting, kind="group", title="4.a")
    with pytest.raises(ValidationError):
        services.record_parents_informed(group, on=date(2026, 1, 5), by=org.cw1)
    stranger = org.user("fremmed", Profession.SCHOOL, None)
    response = org.client(stranger).post(
        reverse("meetings:item_parents", args=[item.pk]),
        {"informed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
