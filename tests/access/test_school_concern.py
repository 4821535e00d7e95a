"""A school or day-care contact sends a concern about a child: it is registered and routed like
every notification, and the school learns nothing about the child, its case or the routing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from tests.intake.helpers import notifier_fields, organisation, works_at
from trappen.intake.models import Notification
from trappen.notices.models import Notice
from trappen.organisation.models import Profession

URL = reverse("intake:concern")
MINE = reverse("intake:mine")
NEW_CPR = "0202201234"
CONCERN = "Eleven kommer ofte sulten i skole og har blå mærker på armene."


@pytest.fixture
def school(org):
    return works_at(org.user("sara", Profession.SCHOOL, None), organisation(org))


def send(client, **data):
    return client.post(URL, {**SENDER, **data}, follow=True)


SENDER = {
    "kind": "notification",
    "notifier_name": "Sara Test",
    "notifier_role": "Lærer",
    "notifier_email": "sara@example.org",
}


def assert_shows_nothing_about(page, *texts):
    content = page.content.decode()
    for text in texts:
        assert text not in content


def test_a_concern_about_a_known_child_reaches_the_caseworker_of_the_open_case(org, school):
    case = org.case()
    child = case.child
    client = org.client(school)
    page = send(
        client,
        cpr=child.cpr,
        first_name="Navn",
        last_name="Fraskolen",
        district=org.d_north.pk,
        content=CONCERN,
        notifier_organisation=school.organisation_id,
    )
    assert page.status_code == 200
    assert page.redirect_chain == [(MINE, 302)]  # the CPR number never goes into a URL
    notification = Notification.objects.get()
    assert (notification.child, notification.case) == (child, case)
    assert notification.source == Notification.Source.SCHOOL
    assert notification.registered_by == school
    assert notification.content == CONCERN
    assert notification.assessment_deadline is not None
    assert Notice.objects.filter(recipient=org.cw1, case=case).exists()
    child.refresh_from_db()
    assert child.last_name == "Barnesen"  # the school's spelling does not rename the child
    assert_shows_nothing_about(
        page,
        child.first_name,
        child.last_name,
        child.cpr,
        child.cpr[:6],
        reverse("cases:case", args=[case.pk]),
        reverse("intake:notification", args=[notification.pk]),
        str(org.cw1.get_full_name()),
    )
    messages = [str(m) for m in page.context["messages"]]
    assert len(messages) == 1
    receipt = gettext(
        "Receipt: your %(kind)s was received by the district team on %(day)s. "
        "Reference number %(reference)s."
    )
    assert receipt.split("%")[0] in messages[0]
    assert notification.reference in messages[0]


def test_a_concern_about_a_new_child_lands_in_the_team_leaders_queue(org, school):
    client = org.client(school)
    page = send(
        client,
        cpr="020220-1234",
        first_name="Nyt",
        last_name="Skolebarn",
        district=org.d_south.pk,
        content=CONCERN,
        notifier_organisation=school.organisation_id,
    )
    assert page.status_code == 200
    notification = Notification.objects.get()
    assert notification.case is None
    assert notification.child.cpr == NEW_CPR
    assert notification.child.district == org.d_south
    assert notification.registered_by == school
    assert Notice.objects.filter(recipient=org.leader_south, case=None).exists()
    assert not Notice.objects.filter(recipient=org.leader).exists()
    assert (
        "Skolebarn" in org.client(org.leader_south).get(reverse("dashboards:team")).content.decode()
    )
    assert_shows_nothing_about(page, "Nyt", "Skolebarn", NEW_CPR, "020220")


def test_the_page_offers_a_form_and_the_navigation_links_to_it(org, school):
    page = org.client(school).get(URL)
    assert page.status_code == 200
    assert f'href="{URL}"' in page.content.decode()
    assert f'href="{reverse("intake:new")}"' not in page.content.decode()


@pytest.mark.parametrize(
    "profession",
    [
        Profession.CASEWORKER,
        Profession.TEAM_LEADER,
        Profession.ANALYST,
        Profession.ADMINISTRATOR,
        Profession.DATA_PROTECTION,
    ],
)
def test_other_roles_may_not_use_the_page(org, profession):
    client = org.client(org.user("other", profession, org.north))
    assert client.get(URL).status_code in (403, 404)
    data = {"cpr": NEW_CPR, "first_name": "A", "last_name": "B", "district": org.d_north.pk}
    assert client.post(URL, {**data, "content": CONCERN}).status_code in (403, 404)
    assert not Notification.objects.exists()
    assert f'href="{URL}"' not in client.get(reverse("catalogue:index")).content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"cpr": "98765"}, "cpr", "A CPR number has 10 digits, e.g. 010203-1234."),
        ({"cpr": "3102201234"}, "cpr", "The CPR number does not contain a real date of birth."),
        ({"district": ""}, "district", "This field is required."),
        ({"content": ""}, "content", "This field is required."),
        ({"content": "   "}, "content", "This field is required."),
    ],
)
def test_invalid_input_is_refused_with_a_clear_error_and_nothing_is_stored(
    org, school, change, field, message
):
    data = {
        "cpr": NEW_CPR,
        "first_name": "Nyt",
        "last_name": "Skolebarn",
        "district": org.d_north.pk,
        "content": CONCERN,
        **notifier_fields(school),
        **change,
    }
    response = org.client(school).post(URL, data)
    assert response.status_code == 200
    assert gettext(message) in response.context["form"].errors[field]
    assert gettext(message) in response.content.decode()
    assert not Notification.objects.exists()
    assert not Notice.objects.exists()
    # The refused form does not repeat the CPR number.
    cpr = data["cpr"]
    assert cpr not in response.content.decode()


def test_district_is_asked_for_a_known_child_too_so_the_form_reveals_nothing(org, school):
    child = org.case().child
    data = {"cpr": child.cpr, "first_name": "A", "last_name": "B", "content": CONCERN}
    response = org.client(school).post(URL, {**data, **notifier_fields(school)})
    assert "district" in response.context["form"].errors
    assert child.first_name not in response.content.decode()
    assert not Notification.objects.exists()
