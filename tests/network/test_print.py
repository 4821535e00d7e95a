"""The invitation and the minutes carry every field of the seed's templates, in the template's
order, and print without the app's chrome."""

import re

from django.utils import dateformat, translation

from trappen.network import services
from trappen.network.models import Participant

from .conftest import days_ago, meeting

Role = Participant.Role
# Given out of order on purpose: the invitation puts the child and the parents first.
PEOPLE = [
    services.Person(Role.SCHOOL, "Kirsten Skoleleder"),
    services.Person(Role.PSYCHOLOGIST, "Peter Psykolog"),
    services.Person(Role.PARENT, "Mor Barnesen"),
    services.Person(Role.CASEWORKER, "Anna Rådgiver"),
    services.Person(Role.CHILD, "Testa Barnesen"),
    services.Person(Role.PARENT, "Far Barnesen"),
    services.Person(Role.NETWORK, "Moster Grethe"),
]
EXPECTED_ORDER = [
    "Testa Barnesen",
    "Mor Barnesen",
    "Far Barnesen",
    "Moster Grethe",
    "Kirsten Skoleleder",
    "Peter Psykolog",
    "Anna Rådgiver",
]


def field(page: str, name: str) -> str:
    found = re.search(rf'data-field="{name}"[^>]*>(.*?)</(p|ol|td|dd)>', page, re.S)
    assert found, f"the page has no {name} field"
    return found.group(1)


def listed(page: str) -> list[str]:
    items = re.findall(r"<li>(.*?) \(", field(page, "participants"))
    return [item.strip() for item in items]


def printable(page: str) -> None:
    assert "network/network.css" in page  # carries the @media print rules
    assert re.search(r'<aside class="[^"]*no-print', page)  # navigation and buttons
    assert "data-print" in page


def danish(client):
    client.cookies["django_language"] = "da"
    return client


def test_invitation_shows_every_template_field_in_order(org, case):
    m = meeting(case, by=org.cw1, concern_on=days_ago(12), meeting_on=days_ago(5), people=PEOPLE)
    response = danish(org.client(org.cw1)).get(f"/network-meetings/{m.pk}/invitation/")
    assert response.status_code == 200
    assert response["Content-Language"] == "da"
    page = response.content.decode()
    assert m.purpose in field(page, "purpose")
    assert m.reason in field(page, "reason")
    when = field(page, "when")
    with translation.override("da"):
        assert dateformat.format(m.starts_at, "l j. F Y") in when
    assert "10:00–11:00" in when
    assert m.place in field(page, "place")
    assert listed(page) == EXPECTED_ORDER
    assert m.chair in field(page, "chair")
    assert m.procedure in field(page, "procedure")
    contact = field(page, "contact")
    assert m.contact_name in contact and m.contact_phone in contact
    assert m.signed_by in field(page, "signed_by")
    assert case.child.full_name in page
    printable(page)


def test_minutes_show_the_four_columns_note_taker_and_contact(org, case):
    m = meeting(case, by=org.cw1, concern_on=days_ago(12), meeting_on=days_ago(5), people=PEOPLE)
    services.write_minutes(
        m,
        concerns="Fravær om morgenen",
        works="God kontakt til klasselæreren",
        want_to_see="Barnet møder til tiden",
        agreements="Mor følger i skole; opfølgning om 4 uger",
        note_taker="Peter Psykolog",
        contact_person="Anna Rådgiver",
    )
    response = danish(org.client(org.cw1)).get(f"/network-meetings/{m.pk}/minutes/")
    assert response.status_code == 200
    page = response.content.decode()
    m.refresh_from_db()
    for name in ("concerns", "works", "want_to_see", "agreements", "note_taker", "contact_person"):
        assert getattr(m, name) in field(page, name), name
    headers = re.findall(r"<th>(.*?)</th>", page.split('class="minutes"')[1].split("</thead>")[0])
    assert len(headers) == 4
    assert listed(page) == EXPECTED_ORDER
    assert m.place in field(page, "called")
    # The CPR number appears masked only.
    assert case.child.cpr not in page and case.child.cpr[:6] + "-" + case.child.cpr[6:] not in page
    printable(page)


def test_unwritten_minutes_say_so(org, case):
    m = meeting(case, by=org.cw1, concern_on=days_ago(3), meeting_on=days_ago(1))
    client = org.client(org.cw1)
    client.cookies["django_language"] = "en"
    page = client.get(f"/network-meetings/{m.pk}/minutes/").content.decode()
    assert "The minutes have not been written yet." in page
