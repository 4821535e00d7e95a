"""Tilbudsviften: the catalogue page, grouped by step, with search and filters."""

import html
import re

import pytest
from django.urls import reverse

from trappen.catalogue.models import Intervention, Step

URL = reverse("catalogue:index")


@pytest.fixture
def client_in(org):
    return org.client(org.analyst)  # any logged-in staff member, even without a team


def page(client, **query: object) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def names(content: str) -> list[str]:
    return re.findall(r"<strong>(.*?)</strong>", content)


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_offer_is_shown_grouped_by_step_in_order(client_in):
    content = page(client_in)
    assert sorted(names(content)) == sorted(Intervention.objects.values_list("name", flat=True))
    steps = list(Step.objects.all())
    positions = [content.index(f'id="step-{s.number}"') for s in steps]
    assert positions == sorted(positions)
    for step in steps:
        assert step.name in content and step.description in content
    # Each offer sits under its own step's heading.
    for offer in Intervention.objects.all():
        at = content.index(f"<strong>{offer.name}</strong>")
        heading = max(p for p in positions if p < at)
        assert positions.index(heading) == offer.step_id, offer
    # Each offer shows its facts.
    mejeriet = content[content.index("Botilbud – Mejeriet") :].split("</tr>")[0]
    assert "14–20" in mejeriet and "Hedebocentret" in mejeriet
    offer = Intervention.objects.get(name="Botilbud – Mejeriet")
    for label in (
        offer.get_legal_concept_display(),
        offer.get_placement_type_display(),
        offer.get_cadence_category_display(),
    ):
        assert str(label) in mejeriet


def test_the_page_is_linked_from_the_top_bar(client_in):
    assert f'href="{URL}"' in page(client_in)


def test_search_matches_name_description_and_provider_whatever_the_case(client_in):
    assert names(page(client_in, q="mst")) == ["MST – Multisystemisk Terapi"]
    assert names(page(client_in, q="PSYKISK SYGE forældre")) == ["Between (gruppetilbud)"]
    by_provider = names(page(client_in, q="nordlys"))
    assert set(by_provider) == set(
        Intervention.objects.filter(provider="Nordlys").values_list("name", flat=True)
    )
    assert "Sundhedsplejens almene tilbud" not in by_provider


def test_the_age_filter_keeps_offers_whose_range_includes_the_age(client_in):
    shown = names(page(client_in, age=0))
    assert "DUÅ Baby – De Utrolige År" in shown  # 0-1
    assert "Between (gruppetilbud)" not in shown  # 7-17
    assert "Olufsgade 19" not in shown  # 16-22
    assert "MST – Multisystemisk Terapi" in shown  # no age given
    shown = names(page(client_in, age=17))
    assert {"Between (gruppetilbud)", "Olufsgade 19"} <= set(shown)
    assert "DUÅ Baby – De Utrolige År" not in shown
    assert "Ungeteam – Hedebocentret" in shown  # 12-22


def test_provider_placement_and_step_filters(client_in):
    nordlys = Intervention.objects.filter(provider="Nordlys")
    assert sorted(names(page(client_in, provider="Nordlys"))) == sorted(
        nordlys.values_list("name", flat=True)
    )
    placements = names(page(client_in, placement="yes"))
    assert "Døgninstitution" in placements and "Støttekontaktperson" not in placements
    assert len(placements) == Intervention.objects.exclude(placement_type="").count()
    others = names(page(client_in, placement="no"))
    assert "Støttekontaktperson" in others and "Døgninstitution" not in others
    content = page(client_in, step=4)
    assert sorted(names(content)) == sorted(
        Intervention.objects.filter(step_id=4).values_list("name", flat=True)
    )
    assert 'id="step-4"' in content and 'id="step-5"' not in content
    both = names(page(client_in, step=5, placement="no"))
    assert both == ["Døgnfamiliebehandling – Nordlys"]


def test_nothing_matches_shows_the_empty_state(client_in):
    content = page(client_in, q="ingen-sådan-indsats")
    assert names(content) == []
    assert 'class="empty"' in content
    assert "0 tilbud" in content and "Ingen tilbud passer til søgningen og filtrene." in content


def test_bad_filter_values_are_shown_not_used(client_in):
    content = page(client_in, age="-3", step="9", provider="Ukendt")
    assert 'class="errors"' in content
    assert len(names(content)) == Intervention.objects.count()


def test_htmx_gets_only_the_list(client_in):
    response = client_in.get(URL, {"q": "toften"}, headers={"HX-Request": "true"})
    content = html.unescape(response.content.decode())
    assert "<html" not in content and 'role="search"' not in content
    assert names(content) == ["Tidsbegrænset anbringelse – Toften"]
    assert "HX-Request" in response["Vary"]
    restore = client_in.get(
        URL, {"q": "toften"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()
