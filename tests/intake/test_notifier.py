"""F8 point 4, intake as it happens: the notifier recorded (name, role, organisation, contact,
or anonymous), notification / inquiry / network-meeting request told apart, professionals
notifying with their real organisation, the receipt with a reference number and *Mine
underretninger*."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.intake.helpers import notifier_fields, organisation, works_at
from trappen.core import notifiers, ruledata
from trappen.intake import services
from trappen.intake.forms import NotificationForm
from trappen.intake.models import Notification
from trappen.notices.models import Notice
from trappen.organisation.models import Profession

CONCERN = "Barnet virker sultent og træt om morgenen."


def register(org, source="school", **kw):
    return services.register(
        cpr=kw.pop("cpr", "0101151234"), first_name="Ida", last_name="Barnesen",
        district=org.d_north, received_at=timezone.now() - timedelta(minutes=5),
        source=source, content=CONCERN, by=kw.pop("by", org.cw1), **kw,
    )  # fmt: skip


def test_the_data_names_every_notifier_kind_and_its_duty_to_notify():
    """'§ 133 is the duty to notify for professionals, § 135 for citizens' — every kind of
    the model is in core/data/notifiers.json, professionals under § 133, citizens § 135."""
    kinds = notifiers.notifier_kinds()
    assert set(kinds) == set(Notification.Source.values)
    professionals = {k for k, v in kinds.items() if v.professional}
    assert professionals == {"school", "day_care", "health_visitor", "ppr", "police", "hospital"}
    assert all(kinds[k].legal_basis == "§ 133, stk. 1" for k in professionals)
    assert {kinds[k].legal_basis for k in ("parent", "relative", "anonymous")} == {"§ 135"}
    assert set(notifiers.request_kinds()) == set(Notification.Kind.values)
    raw = ruledata.load(notifiers.DATA)
    assert "LBK nr. 282 af 17.03.2025" in raw["source"]


def test_a_citizens_duty_to_notify_is_section_135_not_134():
    """Barnets Lov § 137, stk. 2 (LBK nr 282 af 17/03/2025): 'Til brug for en vurdering af en
    underretning efter §§ 132, 133 og 135' — the duties to notify are §§ 132, 133 and 135;
    the general duty of every citizen is § 135 ('den generelle pligt for alle borgere til at
    underrette', Region Syddanmark). trappen cited § 134 for citizens; every citizen kind,
    the notification request kind and the legal-basis rows now name § 135, each with a
    source."""
    kinds = notifiers.notifier_kinds()
    citizens = {k for k, v in kinds.items() if not v.professional and v.legal_basis}
    assert citizens == {"parent", "relative", "anonymous", "other"}
    assert {kinds[k].legal_basis for k in citizens} == {"§ 135"}
    basis = notifiers.request_kinds()["notification"].legal_basis or ""
    assert "§ 135 (citizens)" in basis and "§ 134" not in basis
    raw = ruledata.load(notifiers.DATA)
    assert all("§ 137" in row["source"] for row in raw["notifier_kinds"] if row["legal_basis"])
    bases = {b["paragraph"]: b for b in ruledata.load("legal_bases.json")["bases"]}
    assert "§ 134" not in bases and "lovguiden.dk" in bases["§ 135"]["source"]


def test_the_receipt_is_read_as_section_138_and_says_it_is_not_verified():
    """The receipt within 6 hverdage was Serviceloven § 155 b, stk. 1. trappen cited it as
    Barnets Lov '§ 135, stk. 1', which is the citizens' duty to notify (§ 137, stk. 2: 'efter
    §§ 132, 133 og 135'). VEJ nr 9471 af 21/06/2024 puts '§§ 132-135, 138' in its chapter on
    the duty to notify, so the receipt is read as § 138 — a reading the rule data marks as not
    verified against the paragraph's text."""
    assert notifiers.receipt_basis().startswith("§ 138")
    receipt = ruledata.load(notifiers.DATA)["receipt"]
    assert "not matched word by word" in receipt["source"]
    rules = ruledata.load("deadlines.json")["rules"]
    (rule,) = [r for r in rules if r["key"] == "notifier_receipt"]
    assert "§ 138" in rule["source"] and "NOT verified" in rule["source"]
    bases = {b["paragraph"]: b for b in ruledata.load("legal_bases.json")["bases"]}
    assert "NOT verified" in bases["§ 138"]["source"]


def test_a_parents_notification_shows_the_citizens_duty_of_section_135(org):
    """The notification page names the notifier's duty: a parent under Barnets Lov § 135."""
    n = register(org, source="parent", notifier=services.Notifier(name="Mor til Ida"))
    page = org.client(org.cw1).get(reverse("intake:notification", args=[n.pk])).content.decode()
    assert "§ 135" in page and "§ 134" not in page


def test_a_day_care_notifies_as_a_day_care_not_as_a_school():
    """The finding: 'a day-care's concern is recorded as Skole'."""
    assert notifiers.kind_for_organisation("day_care") == "day_care"
    assert notifiers.kind_for_organisation("health_visiting") == "health_visitor"
    assert notifiers.kind_for_organisation("ppr") == "ppr"
    assert notifiers.kind_for_organisation("school") == "school"


def _form(org, **data):
    base = {
        "cpr": "0101151234", "first_name": "Ida", "last_name": "B", "district": org.d_north.pk,
        "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "kind": "notification", "content": CONCERN,
    }  # fmt: skip
    return NotificationForm({**base, **data})


def test_the_caseworkers_form_asks_for_the_notifiers_name_unless_anonymous(org):
    form = _form(org, source="parent")
    assert not form.is_valid() and "notifier_name" in form.errors
    assert _form(org, source="parent", notifier_name="Mor til Ida").is_valid()
    assert _form(org, source="anonymous").is_valid()


def test_an_anonymous_notification_records_no_name_or_contact(org):
    form = _form(org, source="anonymous", notifier_name="Ole", notifier_phone="12345678")
    assert not form.is_valid()
    assert {"notifier_name", "notifier_phone"} <= set(form.errors)
    with pytest.raises(ValidationError):
        register(org, source="anonymous", notifier=services.Notifier(name="Ole"))


def test_a_professional_notifier_gives_a_phone_or_e_mail_for_the_receipt(org):
    form = _form(org, source="police", notifier_name="Betjent Hansen")
    assert not form.is_valid() and "notifier_phone" in form.errors
    assert _form(
        org, source="police", notifier_name="Betjent Hansen", notifier_phone="114"
    ).is_valid()


def test_the_caseworker_sees_who_notified_from_where(org, client):
    place = organisation(org, "day_care", "Børnehuset Solsikken")
    n = register(
        org, source="day_care", notifier=services.Notifier(
            name="Mette Pædagog", role="Pædagog", organisation=place, phone="97 12 34 56",
        ),
    )  # fmt: skip
    page = org.client(org.cw1).get(reverse("intake:notification", args=[n.pk])).content.decode()
    assert "Børnehuset Solsikken" in page
    assert "Mette Pædagog" in page and "Pædagog" in page and "97 12 34 56" in page
    assert n.reference in page
    assert "§ 133, stk. 1" in page


def test_an_inquiry_and_a_network_meeting_request_are_told_apart(org):
    inquiry = register(org, source="parent", kind="inquiry", notifier=services.Notifier("Mor"))
    request = register(org, source="school", kind="network_meeting", cpr="0202201234")
    assert inquiry.reference.startswith("H-") and request.reference.startswith("N-")
    assert inquiry.request_legal_basis is None  # no duty to notify behind an inquiry
    assert "§ 136" in Notification(kind="notification").request_legal_basis


@pytest.mark.parametrize(
    ("profession", "kind", "expected"),
    [
        (Profession.HEALTH_VISITOR, "health_visiting", "health_visitor"),
        (Profession.PSYCHOLOGIST, "ppr", "ppr"),
        (Profession.SCHOOL, "day_care", "day_care"),
        (Profession.SCHOOL, "school", "school"),
    ],
)
def test_professionals_notify_with_their_real_organisation_and_get_a_receipt(
    org, profession, kind, expected
):
    """'The psychologist and the health visitor, who have a duty to notify, cannot register
    a notification' — now they can, from their organisation, and get a receipt at once."""
    place = organisation(org, kind, f"Sted {kind}")
    user = works_at(org.user(f"u{kind}{profession}", profession, None), place, "Fagperson")
    client = org.client(user)
    form = client.get(reverse("intake:concern")).context["form"]
    assert form.initial["notifier_organisation"] == place.pk  # prefilled from the profile
    data = {
        "cpr": "0202201234", "first_name": "Nyt", "last_name": "Barn",
        "district": org.d_north.pk, "content": CONCERN, **notifier_fields(user),
    }  # fmt: skip
    page = client.post(reverse("intake:concern"), data, follow=True)
    n = Notification.objects.get()
    assert (n.source, n.notifier_organisation) == (expected, place)
    assert n.notifier_name == user.get_full_name() and n.notifier_role == "Fagperson"
    assert n.receipt_sent_on == timezone.localdate()
    assert n.reference in page.content.decode()
    assert Notice.objects.filter(recipient=user, text__contains=n.reference).exists()


def test_my_notifications_shows_my_own_with_reference_and_status_but_no_case_content(org):
    place = organisation(org)
    sara = works_at(org.user("sara", Profession.SCHOOL, None), place)
    other = works_at(org.user("ole", Profession.SCHOOL, None), place)
    case = org.case()
    mine = register(
        org, by=sara, cpr=case.child.cpr, notifier=services.Notifier("Sara", email="s@x.dk")
    )
    theirs = register(
        org, by=other, cpr="0202201234", notifier=services.Notifier("Ole", email="o@x.dk")
    )
    page = org.client(sara).get(reverse("intake:mine")).content.decode()
    assert mine.reference in page and theirs.reference not in page
    for secret in (case.child.first_name, case.child.last_name, CONCERN, str(case.caseworker)):
        assert secret not in page
    assert reverse("intake:notification", args=[mine.pk]) not in page


def test_the_old_coarse_sources_are_mapped_and_a_day_cares_concern_is_no_longer_school(org):
    """The data migration: 'health' was the health visitor; a concern that a day-care's
    contact sent through the school form becomes 'day_care' with its organisation."""
    from importlib import import_module

    from trappen.meetings.models import School

    migration = import_module("trappen.intake.migrations.0005_notifier_kind_duty_roster")
    contact = org.user("dagpleje", Profession.SCHOOL, None)
    School.objects.create(kind="day_care", name="Børnehuset Mælkebøtten", district=org.d_north)
    School.objects.get().contacts.add(contact)
    day_care = register(org, by=contact, source="school")
    health = register(org, source="school", cpr="0202201234")
    Notification.objects.filter(pk=health.pk).update(source="health")
    migration.map_old_notifiers(apps, None)
    day_care.refresh_from_db()
    health.refresh_from_db()
    assert health.source == "health_visitor"
    assert day_care.source == "day_care"
    assert str(day_care.notifier_organisation) == "Børnehuset Mælkebøtten"
    assert day_care.notifier_name == contact.get_full_name()
