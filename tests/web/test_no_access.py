"""F10 point 3: a case outside one's access says "Ingen adgang" (403, styled, Danish) with
the way to break the glass and whom to call; who may learn that a case exists is decided by
policy.no_access (docs/roles.md)."""

from django.test import override_settings
from django.urls import reverse

from trappen.organisation.models import Profession


def test_a_professional_outside_the_team_gets_the_break_glass_button_and_the_leader(org):
    case = org.case()
    org.leader.phone = "1234 5678"
    org.leader.save(update_fields=["phone"])
    response = org.client(org.cw_south).get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ingen adgang" in html
    assert reverse("consent:break_glass", args=[case.pk]) in html  # no typing a database id
    assert "Lise Test" in html and "1234 5678" in html  # the leader of the case's team
    assert "Testa" not in html and "Barnesen" not in html  # nothing of the child
    # The button leads to the existing flow, which then opens the case.
    form = org.client(org.cw_south).get(reverse("consent:break_glass", args=[case.pk]))
    assert form.status_code == 200


def test_a_missing_case_is_a_404_for_the_professional(org):
    response = org.client(org.cw_south).get(reverse("cases:case", args=[999999]))
    assert response.status_code == 404


def _main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@override_settings(TRAPPEN_ACCESS_CONTACT="Myndighedsafdelingen, tlf. 9999 0000")
def test_others_get_the_same_page_for_a_missing_and_a_forbidden_case(org):
    case = org.case()
    school = org.user("skole", Profession.SCHOOL, None)
    for user in (school, org.analyst):
        client = org.client(user)
        existing = client.get(reverse("cases:case", args=[case.pk]))
        missing = client.get(reverse("cases:case", args=[case.pk + 1000]))
        assert existing.status_code == missing.status_code == 403
        a, b = (_main(r) for r in (existing, missing))
        assert a == b  # nothing tells whether the number exists
        assert "break-the-glass" not in a and "Lise" not in a
        assert "Myndighedsafdelingen, tlf. 9999 0000" in a
