"""F8 point 7: network meetings as the seeds describe them (KORA 2017, appendix 2, Herning-
modellen 1.0, "Netværksmøder og inddragende netværksmøder"): called by the professional with
the concern, before or without a case, anonymous until the parents consent; reserved slots per
district released when unbooked a week ahead; decision minutes sent to everyone invited."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from trappen.audit.models import AuditEntry
from trappen.core import network as rules
from trappen.meetings.models import School
from trappen.network import services
from trappen.network.models import MinutesRecipient, NetworkMeeting, Participant, Slot
from trappen.notices.models import Notice
from trappen.organisation.models import Profession

Role = Participant.Role
RULE = rules.ReleaseRule(7)


# ---- the slot rule (pure) -----------------------------------------------------------------------


@given(
    day=st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 1, 1)),
    offset=st.integers(min_value=-30, max_value=30),
    booked=st.booleans(),
)
def test_an_unbooked_slot_is_released_a_week_ahead(day, offset, booked):
    """ "Hvis man inden for én uge ikke er indkaldt, kan man for nuværende selv disponere over
    tiden": a reserved slot nobody booked is released 7 days before it; a booked one stays."""
    today = day - timedelta(days=offset)
    state = rules.slot_state(day, booked, today, RULE)
    if booked:
        assert state is rules.SlotState.BOOKED
    elif offset <= 7:
        assert state is rules.SlotState.RELEASED
    else:
        assert state is rules.SlotState.OPEN
    assert rules.may_book(day, booked, today, RULE) is (state is rules.SlotState.OPEN)


def test_the_release_rule_is_data_with_the_seeds_words():
    """ "Fastsat tid til afholdelse af netværksmøder i kalenderen …": the week is data."""
    assert services.release_rule(date(2026, 1, 1)) == rules.ReleaseRule(7)
    assert "én uge" in services.rule_source(date(2026, 1, 1))
    assert "KORA 2017" in services.rule_source(date(2026, 1, 1))


@given(first=st.dates(), weeks=st.integers(min_value=0, max_value=20))
def test_weekly_days_are_a_week_apart(first, weeks):
    try:
        until = first + timedelta(weeks=weeks)
    except OverflowError:
        return
    days = rules.weekly_days(first, until)
    assert days[0] == first and len(days) == weeks + 1
    assert all((b - a).days == 7 for a, b in zip(days, days[1:], strict=False))


# ---- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def school(org):
    contact = org.user("skole", Profession.SCHOOL, None)
    school = School.objects.create(name="Nordby Skole", district=org.d_north)
    school.contacts.add(contact)
    return school


@pytest.fixture
def contact(school):
    return school.contacts.get()


def reserve(org, first: date, weeks: int = 4) -> list[Slot]:
    return services.reserve(
        org.d_north, holder=org.psych, first=first, until=first + timedelta(weeks=weeks),
        at=time(13), place="Nordby Skole",
    )  # fmt: skip


INVITATION = {
    "kind": NetworkMeeting.Kind.NETWORK,
    "concern": "Barnet har stort fravær",
    "purpose": "At samle de voksne, der kender barnet",
    "reason": "Skolen er bekymret",
    "place": "Nordby Skole",
    "chair": "Kirsten Skoleleder",
    "contact_name": "Kirsten Skoleleder",
    "signed_by": "Kirsten Skoleleder, skoleleder",
}


def call_before_case(contact, district, *, slot=None, people=None, **extra):
    today = timezone.localdate()
    data = {**INVITATION, "concern_on": today, **extra}
    if slot is None:
        start = timezone.make_aware(timezone.datetime.combine(today + timedelta(days=10), time(9)))
        data.setdefault("starts_at", start)
        data.setdefault("ends_at", start + timedelta(hours=1))
    return services.call(
        None, by=contact, district=district, slot=slot, child_description="En pige i 3. klasse",
        people=people or [services.Person(Role.CHILD, ""), services.Person(Role.PARENT, ""),
                          services.Person(Role.SCHOOL, str(contact), contact)],
        **data,
    )  # fmt: skip


# ---- calling before a case ----------------------------------------------------------------------


def test_a_school_calls_a_network_meeting_before_any_case_into_a_reserved_slot(org, contact):
    """ "Det er den leder eller fagperson, der har bekymringen, der inviterer til møde" — a
    school books a reserved slot before any case exists; the slot is then booked."""
    slots = reserve(org, timezone.localdate() + timedelta(days=14))
    m = call_before_case(contact, org.d_north, slot=slots[0])
    assert m.case is None and m.district == org.d_north and m.created_by == contact
    assert (m.starts_at, m.ends_at) == (slots[0].starts_at, slots[0].ends_at)
    slots[0].refresh_from_db()
    assert slots[0].meeting == m and services.state(slots[0]) is rules.SlotState.BOOKED
    with pytest.raises(ValidationError):  # booked: not twice
        call_before_case(contact, org.d_north, slot=slots[0])


def test_a_slot_a_week_or_less_ahead_is_released_and_cannot_be_booked(org, contact):
    """ "Hvis man inden for én uge ikke er indkaldt, kan man … selv disponere over tiden"."""
    slot = reserve(org, timezone.localdate() + timedelta(days=6), weeks=0)[0]
    assert services.state(slot) is rules.SlotState.RELEASED
    with pytest.raises(ValidationError):
        call_before_case(contact, org.d_north, slot=slot)
    assert not NetworkMeeting.objects.exists()


def test_the_child_is_not_identifiable_until_the_parents_consent(org, contact):
    """Before consent the child, the parents and the family are listed by role only, and the
    meeting cannot be put on a case; after the consent they may be named."""
    with pytest.raises(ValidationError):
        call_before_case(contact, org.d_north, people=[services.Person(Role.CHILD, "Testa B")])
    m = call_before_case(contact, org.d_north)
    assert not m.identifiable and "3. klasse" in m.child_label()
    assert all(p.name == "" for p in m.participants.filter(role__in=["child", "parent"]))
    case = org.case()
    with pytest.raises(ValidationError):
        services.link_case(m, case, by=org.cw1)
    with pytest.raises(ValidationError):
        services.record_consent(m, by=contact, on=timezone.localdate(), note="")
    services.record_consent(m, by=contact, on=timezone.localdate(), note="Skriftligt")
    assert m.identifiable and m.consent_recorded_by == contact
    services.change(
        m, people=[services.Person(Role.CHILD, "Testa Barnesen")],
        **{**INVITATION, "concern_on": m.concern_on, "starts_at": m.starts_at,
           "ends_at": m.ends_at},
    )  # fmt: skip
    services.link_case(m, case, by=org.cw1)
    assert m.case == case
    assert AuditEntry.objects.filter(object_type="network.networkmeeting").exists()


def test_who_sees_a_meeting_before_a_case(org, contact, school):
    """The caller, the invited staff and the district team see it; another team does not."""
    m = call_before_case(contact, org.d_north)
    url = reverse("network:invitation", args=[m.pk])
    assert org.client(contact).get(url).status_code == 200
    assert org.client(org.cw1).get(url).status_code == 200
    assert org.client(org.cw_south).get(url).status_code == 404
    other = org.user("skole2", Profession.SCHOOL, None)
    assert org.client(other).get(url).status_code == 404
    assert org.client(org.analyst).get(reverse("network:overview")).status_code == 403
    page = org.client(contact).get(url).content.decode()
    assert "3. klasse" in page and "Testa" not in page


def test_a_school_contact_calls_a_meeting_through_the_page(org, contact):
    slot = reserve(org, timezone.localdate() + timedelta(days=14), weeks=0)[0]
    client = org.client(contact)
    page = client.get(reverse("network:overview"))
    assert page.status_code == 200 and 'data-state="open"' in page.content.decode()
    form = {
        **{k: v for k, v in INVITATION.items()}, "concern_on": timezone.localdate().isoformat(),
        "district": org.d_north.pk, "slot": slot.pk, "child_description": "En dreng i 5. klasse",
        "p-TOTAL_FORMS": "2", "p-INITIAL_FORMS": "0",
        "p-0-role": "child", "p-0-name": "", "p-1-role": "school", "p-1-name": "Kirsten",
    }  # fmt: skip
    response = client.post(reverse("network:meeting_before_case"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    m = NetworkMeeting.objects.get()
    assert m.case is None and m.slot == slot and m.created_by == contact


# ---- the minutes sent to the invited ----------------------------------------------------------


def test_the_decision_minutes_are_sent_to_everyone_invited_with_a_record(org, contact):
    """ "At udfærdige og sende et beslutningsreferat til alle inviterede efter mødet": each
    invited person is recorded as a recipient with the time; staff get a notice naming no
    child; sending again sends only to the ones not yet sent to."""
    start = timezone.now() - timedelta(days=1)
    m = call_before_case(
        contact, org.d_north, starts_at=start, ends_at=start + timedelta(hours=1),
        concern_on=timezone.localdate() - timedelta(days=3),
        people=[services.Person(Role.CHILD, ""), services.Person(Role.PARENT, ""),
                services.Person(Role.PSYCHOLOGIST, str(org.psych), org.psych)],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.send_minutes(m, by=contact)
    services.write_minutes(m, agreements="Psykologen tilbyder samtaler", concerns="Fravær")
    sent = services.send_minutes(m, by=contact)
    assert len(sent) == 3 and all(r.sent_by == contact and r.sent_at for r in sent)
    assert {r.role for r in sent} == {"child", "parent", "psychologist"}
    notice = Notice.objects.get(recipient=org.psych)
    assert "3. klasse" not in notice.text
    assert services.send_minutes(m, by=contact) == []
    assert MinutesRecipient.objects.filter(meeting=m).count() == 3
    page = org.client(contact).get(reverse("network:minutes", args=[m.pk])).content.decode()
    assert 'data-testid="recipients"' in page and str(org.psych) in page


def test_the_caller_sends_the_minutes_from_the_page(org, contact):
    start = timezone.now() - timedelta(days=1)
    m = call_before_case(contact, org.d_north, starts_at=start, ends_at=start + timedelta(hours=1),
                         concern_on=timezone.localdate() - timedelta(days=3))  # fmt: skip
    services.write_minutes(m, agreements="Aftale")
    url = reverse("network:send_minutes", args=[m.pk])
    assert org.client(org.cw_south).post(url).status_code == 404
    assert org.client(contact).post(url).status_code == 302
    assert MinutesRecipient.objects.filter(meeting=m).count() == 3
