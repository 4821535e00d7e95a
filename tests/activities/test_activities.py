import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.access.helpers import share_with_consent
from trappen.access.policy import recordable_kinds
from trappen.activities import services
from trappen.activities.counts import HalfYear, per_half_year
from trappen.activities.models import MAX_CLARIFYING_TALKS, Activity
from trappen.casefile.compose import timeline as work_events
from trappen.cases import services as case_services
from trappen.cases.models import JournalEntry
from trappen.followups import services as followups
from trappen.measures import services as measures
from trappen.network import services as network
from trappen.organisation.models import DistrictGroup, Profession

Kind = Activity.Kind
HEALTH_VISITOR_KINDS = {
    Kind.PREGNANCY_VISIT,
    Kind.NEEDS_VISIT,
    Kind.JOINT_HOME_VISIT,
    Kind.FAMILY_CENTRE,
}


def ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def case(org):
    return org.case()


@pytest.fixture
def hv(org):
    return org.user("hanne", Profession.HEALTH_VISITOR, org.north)


def test_clarifying_talks_are_numbered_one_to_five_and_a_sixth_is_refused(org, case):
    share_with_consent(case, org.psych, by=org.cw1)
    talks = [
        services.record(case, kind=Kind.CLARIFYING_TALK, held_on=ago(20 - i), by=org.psych)
        for i in range(MAX_CLARIFYING_TALKS)
    ]
    assert [t.talk_number for t in talks] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError) as refused:
        services.record(case, kind=Kind.CLARIFYING_TALK, held_on=ago(1), by=org.psych)
    assert "5" in str(refused.value)
    assert case.activities.count() == MAX_CLARIFYING_TALKS
    # Another child's course starts again at one.
    other = org.case(org.child("0202152345"))
    share_with_consent(other, org.psych, by=org.cw1)
    first = services.record(other, kind=Kind.CLARIFYING_TALK, held_on=ago(1), by=org.psych)
    assert first.talk_number == 1


def test_the_sixth_talk_is_refused_on_the_page_with_a_message(org, case):
    share_with_consent(case, org.psych, by=org.cw1)
    for i in range(MAX_CLARIFYING_TALKS):
        services.record(case, kind=Kind.CLARIFYING_TALK, held_on=ago(10 - i), by=org.psych)
    client = org.client(org.psych)
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/cases/{case.pk}/activities/new/",
        {"kind": Kind.CLARIFYING_TALK, "held_on": ago(0).isoformat(), "note": ""},
    )
    assert response.status_code == 200
    assert "at most 5 talks" in response.content.decode()
    assert case.activities.count() == MAX_CLARIFYING_TALKS
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Clarifying talks with the psychologist: 5 of at most 5." in page


def test_each_profession_records_its_own_kinds(org, case, hv):
    share_with_consent(case, org.psych, by=org.cw1)
    share_with_consent(case, hv, by=org.cw1)
    assert set(recordable_kinds(org.psych, case)) == {Kind.CLARIFYING_TALK}
    assert set(recordable_kinds(hv, case)) == HEALTH_VISITOR_KINDS
    assert set(recordable_kinds(org.cw1, case)) == {Kind.JOINT_HOME_VISIT}
    assert set(recordable_kinds(org.leader, case)) == {Kind.JOINT_HOME_VISIT}
    assert recordable_kinds(org.cw2, case) == []  # reads the team's case, does not own it
    assert recordable_kinds(org.analyst, case) == []
    with pytest.raises(PermissionDenied):
        services.record(case, kind=Kind.PREGNANCY_VISIT, held_on=ago(1), by=org.psych)
    with pytest.raises(PermissionDenied):
        services.record(case, kind=Kind.CLARIFYING_TALK, held_on=ago(1), by=hv)
    visit = services.record(case, kind=Kind.NEEDS_VISIT, held_on=ago(1), by=hv)
    assert visit.talk_number is None and visit.recorded_by == hv


def test_no_recording_without_consent_or_on_a_closed_case(org, case, hv):
    assert recordable_kinds(hv, case) == []  # not shared
    assert org.client(hv).get(f"/cases/{case.pk}/activities/new/").status_code == 404
    share_with_consent(case, hv, by=org.cw1)
    response = org.client(hv).post(
        f"/cases/{case.pk}/activities/new/",
        {"kind": Kind.PREGNANCY_VISIT, "held_on": ago(1).isoformat(), "note": "Første besøg"},
    )
    assert response.status_code == 302
    assert case.activities.get().kind == Kind.PREGNANCY_VISIT
    case_services.close(case, closed_on=ago(0), reason="goal_reached", note="")
    case.refresh_from_db()
    assert recordable_kinds(hv, case) == [] and recordable_kinds(org.cw1, case) == []


def test_a_kind_outside_the_profession_is_refused_by_the_form(org, case):
    share_with_consent(case, org.psych, by=org.cw1)
    response = org.client(org.psych).post(
        f"/cases/{case.pk}/activities/new/",
        {"kind": Kind.PREGNANCY_VISIT, "held_on": ago(1).isoformat()},
    )
    assert response.status_code == 200
    assert not case.activities.exists()


def test_the_timeline_shows_all_the_work_in_date_order(org, case, hv):
    share_with_consent(case, hv, by=org.cw1)
    JournalEntry.objects.create(
        case=case,
        author=org.cw1,
        heading=JournalEntry.Heading.NOTE,
        text="Samtale med mor",
        written_at=timezone.make_aware(datetime.combine(ago(50), time(9))),
    )
    episode = measures.start(
        case, intervention=org.intervention(2), start_on=ago(40), end_on=None, end_reason="",
        provider="", daily_cost=500, by=org.cw1,
    )  # fmt: skip
    followups.record(
        episode, held_on=ago(30), form="meeting", child_conversation=True,
        conversation_note="Godt", plan_review="kept", next_agreed_on=None, note="", by=org.cw1,
    )  # fmt: skip
    start = timezone.make_aware(datetime.combine(ago(20), time(10)))
    network.call(
        case, by=org.cw1, people=[network.Person("child", "Testa")], kind="network",
        concern="Fravær", concern_on=ago(25), purpose="At samle de voksne", reason="Fravær",
        starts_at=start, ends_at=start + timedelta(hours=1), place="Nordby Skole",
        chair="Anna", contact_name="Anna", signed_by="Anna",
    )  # fmt: skip
    services.record(case, kind=Kind.JOINT_HOME_VISIT, held_on=ago(10), by=hv)
    with translation.override("en"):
        timeline = work_events(case)
    mine = [
        ("Activity", Kind.JOINT_HOME_VISIT.label),
        ("Network meeting", "Nordby Skole"),
        ("Follow-up", str(episode.intervention)),
        ("Measure started", str(episode.intervention)),
        ("Journal", "Samtale med mor"),
    ]
    with translation.override("en"):
        mine = [(kind, str(text)) for kind, text in mine]
        positions = [
            next(
                i
                for i, e in enumerate(timeline)
                if str(e.kind) == kind and text in str(e.title) + str(e.detail)
            )
            for kind, text in mine
        ]
    assert positions == sorted(positions)
    times = [e.at for e in timeline]
    assert times == sorted(times, reverse=True)
    # The case page shows the same order.
    client = org.client(org.cw1)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert page.count('<ol class="timeline">') == 1  # one timeline, not two
    html = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    order = [kind for kind, _ in mine[:-1]]
    found = [html.index(f'<span class="kind">{k}</span>') for k in order]
    assert found == sorted(found)


def test_activities_are_counted_per_half_year_group_and_kind(org, hv):
    north = org.case()
    south = org.case(org.child("0303151236", district=org.d_south), org.cw_south)
    hv_south = org.user("helle", Profession.HEALTH_VISITOR, org.south)
    share_with_consent(north, hv, by=org.cw1)
    share_with_consent(south, hv_south, by=org.cw_south)
    today = timezone.localdate()
    h1 = date(today.year - 1, 3, 1)
    h2 = date(today.year - 1, 9, 1)
    for day, kind in [(h1, Kind.NEEDS_VISIT), (h1, Kind.NEEDS_VISIT), (h2, Kind.FAMILY_CENTRE)]:
        services.record(north, kind=kind, held_on=day, by=hv)
    services.record(south, kind=Kind.NEEDS_VISIT, held_on=h2, by=hv_south)
    services.record(north, kind=Kind.PREGNANCY_VISIT, held_on=date(today.year - 2, 5, 1), by=hv)
    counts = per_half_year(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    pilot = DistrictGroup.objects.get(name="Pilot").name
    other = DistrictGroup.objects.get(name="Øvrige").name
    year = today.year - 1
    assert counts == {
        (HalfYear(year, 1), pilot): {Kind.NEEDS_VISIT: 2},
        (HalfYear(year, 2), pilot): {Kind.FAMILY_CENTRE: 1},
        (HalfYear(year, 2), other): {Kind.NEEDS_VISIT: 1},
    }


def test_the_steering_page_shows_the_counts_without_case_content(org, hv):
    case = org.case()
    share_with_consent(case, hv, by=org.cw1)
    year = timezone.localdate().year - 1
    for month in (2, 3, 4):
        services.record(case, kind=Kind.NEEDS_VISIT, held_on=date(year, month, 1), by=hv)
    client = org.client(org.analyst)
    client.cookies["django_language"] = "en"
    page = client.get(
        "/steering/", {"start": f"{year}-01-01", "end": f"{year}-12-31", "group_by": "group"}
    ).content.decode()
    table = page.split('id="activity-counts"')[1].split("</section>")[0]
    row = re.search(rf"<tr><td>{year} H1</td><td>Pilot</td>(.*?)</tr>", table)
    assert row, table
    cells = re.findall(r"<td>(\d+)</td>", row.group(1))
    assert cells[list(Kind.values).index(Kind.NEEDS_VISIT)] == "3"
    assert case.child.first_name not in table
