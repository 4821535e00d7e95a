"""The navigation offers each role the F4/F5 pages it may use, and no others."""

import pytest
from django.urls import reverse

from trappen.organisation.models import Profession

MEETINGS = reverse("meetings:list")
SUBMIT = reverse("meetings:submit")
BREAK_GLASS = reverse("consent:break_glass_list")
ACCESS_REPORT = reverse("privacy:find")


def nav_links(client) -> set[str]:
    page = client.get(reverse("catalogue:index")).content.decode()
    nav = page[page.index("<nav ") : page.index("</nav>")]
    return {url for url in (MEETINGS, SUBMIT, BREAK_GLASS, ACCESS_REPORT) if f'"{url}"' in nav}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("cw1", {MEETINGS}),
        ("psych", {MEETINGS}),
        ("leader", {MEETINGS, BREAK_GLASS, ACCESS_REPORT}),
        ("analyst", set()),
    ],
)
def test_each_role_is_offered_its_pages(org, who, expected):
    assert nav_links(org.client(getattr(org, who))) == expected


def test_school_contact_and_data_protection_officer(org):
    school = org.user("skole", Profession.SCHOOL, org.north)
    dpo = org.user("dpo", Profession.DATA_PROTECTION, None)
    assert nav_links(org.client(school)) == {SUBMIT}
    assert nav_links(org.client(dpo)) == {ACCESS_REPORT}
    # What the navigation offers, the pages grant.
    assert org.client(dpo).get(ACCESS_REPORT).status_code == 200
    assert org.client(school).get(SUBMIT).status_code == 200
