"""Internal and resource-centre meetings: agenda order, the 14-day deadline, anonymity without
consent, agreements carried over, chair rotation, the calendar feed and the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.access.helpers import consent_for
from trappen.consent.models import Scope
from trappen.core import meetings as rules
from trappen.followups.calendar import feed_for
from trappen.meetings import services
from trappen.meetings.models import AgendaItem, School, Submission
from trappen.notices.models import Notice
from trappen.organisation.models import Profession

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(org):
    school = School.objects.create(name="Nordby Skole", district=org.d_north)
    school.contacts.add(org.user("lærer", Profession.SCHOOL, None))
    school.fixed_participants.add(org.psych)
    return school


def rc_series(school, first, until):
    series = services.create_resource_centre_series(school)
    return series, services.plan(series, first, until)


def submit(school, kind, title, on, parents_shown=True):
    return services.submit(
        school,
        by=school.contacts.get(),
        kind=kind,
        title=title,
        description="Beskrivelse",
        parents_shown=parents_shown,
        on=on,
    )


# ---- resource-centre meetings -------------------------------------------------------------------


def test_resource_centre_series_is_monthly_for_an_hour_and_a_half_with_the_psychologist(school):
    _series, meetings = rc_series(school, date(2026, 1, 13), date(2026, 6, 30))
    assert [m.day.month for m in meetings] == [1, 2, 3, 4, 5, 6]
    assert {m.day.weekday() for m in meetings} == {date(2026, 1, 13).weekday()}
    assert all(m.ends_at - m.starts_at == timedelta(minutes=90) for m in meetings)
    assert all(
        list(m.participants.values_list("user", flat=True)) == [school.fixed_participants.get().pk]
        for m in meetings
    )


def test_agenda_follows_the_priority_rule_then_the_coordinators_order(school):
    _series, (meeting, *_rest) = rc_series(school, date(2026, 3, 10), date(2026, 5, 31))
    on = meeting.day - timedelta(days=20)
    for kind, title in [
        ("information", "Nyt fra skolen"),
        ("school_wide", "Trivselsplan"),
        ("child", "Dreng, 3.b"),
        ("group", "4.a uro"),
        ("child", "Pige, 1.a"),
    ]:
        submit(school, kind, title, on)
    titles = [s.item.title for s in services.agenda(meeting)]
    assert titles == ["Dreng, 3.b", "Pige, 1.a", "4.a uro", "Trivselsplan", "Nyt fra skolen"]

    by_title = {i.title: i.pk for i in meeting.items.all()}
    services.reorder(meeting, [by_title["Trivselsplan"], by_title["Pige, 1.a"]])
    titles = [s.item.title for s in services.agenda(meeting)]
    assert titles == ["Trivselsplan", "Pige, 1.a", "Dreng, 3.b", "4.a uro", "Nyt fra skolen"]

    services.reset_order(meeting)
    assert [s.item.title for s in services.agenda(meeting)][0] == "Dreng, 3.b"


def test_a_submission_14_days_before_is_in_time(school):
    _series, (first, second, *_rest) = rc_series(school, date(2026, 3, 10), date(2026, 5, 31))
    done = submit(school, "group", "3.b", first.day - timedelta(days=14))
    assert done.submission.meeting == first
    assert done.message == ""


def test_a_late_submission_goes_to_the_following_meeting_with_a_message(school):
    _series, (first, second, *_rest) = rc_series(school, date(2026, 3, 10), date(2026, 5, 31))
    done = submit(school, "group", "3.b", first.day - timedelta(days=13))
    assert done.submission.meeting == second
    assert done.submission.moved_from == first
    assert done.message
    assert not first.items.exists()
    assert second.items.get().title == "3.b"


def test_a_child_submission_needs_the_parents_to_have_seen_it(school):
    _series, (first, *_rest) = rc_series(school, date(2026, 3, 10), date(2026, 5, 31))
    with pytest.raises(ValidationError):
        submit(school, "child", "Dreng", first.day - timedelta(days=30), parents_shown=False)
    assert not Submission.objects.exists()
    submit(school, "information", "Info", first.day - timedelta(days=30), parents_shown=False)


def test_the_deadline_rule():
    days = [date(2026, 3, 10), date(2026, 4, 14)]
    assert rules.place_submission(date(2026, 2, 24), days) == rules.Placement(0, None)
    assert rules.place_submission(date(2026, 2, 25), days) == rules.Placement(1, 0)
    assert rules.place_submission(date(2026, 4, 1), days) == rules.Placement(None, 0)


# ---- internal meetings --------------------------------------------------------------------------


def internal(org, first=None, until=None):
    first = first or timezone.localdate() + timedelta(days=1)
    series = services.create_internal_series(org.north)
    return series, services.plan(series, first, until or first + timedelta(days=60))


def test_internal_meetings_every_14_days_with_a_rotating_chair(org):
    series, meetings = internal(org)
    assert [(b.day - a.day).days for a, b in zip(meetings, meetings[1:], strict=False)] == [14] * (
        len(meetings) - 1
    )
    members = series.rotation()
    assert len(members) == 4  # two caseworkers, the leader, the psychologist; not the south team
    chairs = [m.chair for m in meetings]
    assert chairs[: len(members)] == members
    assert chairs[len(members)] == members[0]
    # Planning further continues the rotation where it stopped.
    more = services.plan(
        series, meetings[-1].day + timedelta(days=14), meetings[-1].day + timedelta(days=14)
    )
    assert more[0].chair == members[(members.index(chairs[-1]) + 1) % len(members)]


def test_an_item_stays_anonymous_until_consent_covers_every_participant(org):
    case = org.case()
    _series, (meeting, *_rest) = internal(org)
    services.add_item(meeting, kind="child", title="Bekymring i 3.b", case=case)
    client = org.client(org.cw2)
    url = reverse("meetings:meeting", args=[meeting.pk])

    def page():
        return client.get(url).content.decode()

    before = page()
    assert case.child.first_name not in before
    assert case.child.masked_cpr not in before and case.child.cpr not in before
    assert reverse("cases:case", args=[case.pk]) not in before
    assert "Bekymring i 3.b" in before

    # The health visitor joins ad hoc: a consent for the psychologist alone is not enough.
    hv = org.user("hanne", Profession.HEALTH_VISITOR, org.north)
    services.add_participant(meeting, user=hv)
    consent_for(case, org.psych, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    assert case.child.first_name not in page()
    # A consent for the case information is not a consent to discuss the child by name.
    consent_for(case, hv, by=org.cw1, scope=Scope.CASE_INFORMATION)
    assert case.child.first_name not in page()

    consent_for(case, hv, by=org.cw1, scope=Scope.NAMED_DISCUSSION)
    after = page()
    assert case.child.full_name in after
    assert reverse("cases:case", args=[case.pk]) in after
    assert case.child.cpr not in after


def test_anonymous_sparring_has_reserved_time_and_names_no_case(org):
    case = org.case()
    series, (meeting, *_rest) = internal(org)
    with pytest.raises(ValidationError):
        services.add_item(meeting, kind="sparring", title="Sparring", case=case)
    page = org.client(org.cw1).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert str(series.sparring_minutes) in page


def test_agreements_are_carried_over_until_closed(org):
    _series, (m1, m2, m3, m4, *_rest) = internal(org)
    agreement = services.add_agreement(m1, who="Anna", what="Ring til skolen", due_on=m2.day)
    other = services.add_agreement(m1, who="Bent", what="Book møde", due_on=m2.day)
    services.close_agreement(other, at=m1)
    assert agreement in services.agreements_for(m1)
    assert agreement in services.agreements_for(m2)
    assert other not in services.agreements_for(m2)
    services.close_agreement(agreement, at=m3)
    assert agreement in services.agreements_for(m3)  # shown closed where it was closed
    assert agreement not in services.agreements_for(m4)


def test_minutes_remind_every_participant_of_their_journal_entry_once(org):
    _series, (meeting, *_rest) = internal(org)
    services.record_minutes(meeting, minutes="Referat", decisions={}, by=org.cw1)
    services.record_minutes(meeting, minutes="Referat, rettet", decisions={}, by=org.cw1)
    participants = set(meeting.participants.values_list("user", flat=True))
    reminded = list(Notice.objects.values_list("recipient", flat=True))
    assert sorted(reminded) == sorted(participants)


def test_the_calendar_feed_has_the_meetings_without_names(org):
    case = org.case()
    _series, (meeting, *_rest) = internal(org)
    services.add_item(meeting, kind="child", title="Punkt", case=case)
    feed = feed_for(org.psych, timezone.localdate())
    assert f"UID:meeting-{meeting.pk}@trappen" in feed
    assert org.north.name in feed
    assert case.child.first_name not in feed and case.child.cpr not in feed
    assert f"meeting-{meeting.pk}@" not in feed_for(org.cw_south, timezone.localdate())


def test_team_calendar_lists_the_teams_meetings(org, school):
    _series, (meeting, *_rest) = internal(org)
    rc, _meetings = rc_series(
        school, timezone.localdate() + timedelta(days=2), timezone.localdate() + timedelta(days=40)
    )
    page = org.client(org.cw1).get(reverse("meetings:calendar")).content.decode()
    assert reverse("meetings:meeting", args=[meeting.pk]) in page
    assert school.name in page
    south = org.client(org.cw_south).get(reverse("meetings:calendar")).content.decode()
    assert reverse("meetings:meeting", args=[meeting.pk]) not in south


def test_the_school_contact_submits_and_sees_only_the_own_schools_agenda(org, school):
    _series, (first, second, *_rest) = rc_series(
        school, timezone.localdate() + timedelta(days=5), timezone.localdate() + timedelta(days=90)
    )
    client = org.client(school.contacts.get())
    response = client.post(
        reverse("meetings:submit"),
        {
            "school": school.pk,
            "kind": "group",
            "title": "3.b",
            "description": "Uro",
            "parents_shown": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    item = AgendaItem.objects.get()
    assert item.meeting == second  # the first meeting is only 5 days away
    # The school's own resource-centre agenda (Herningmodellen 1.0: the schools run these meetings)
    # ...
    assert client.get(reverse("meetings:meeting", args=[second.pk])).status_code == 200
    # ... but not the team's internal meetings.
    _internal, (team_meeting, *_more) = internal(org)
    assert client.get(reverse("meetings:meeting", args=[team_meeting.pk])).status_code == 404
