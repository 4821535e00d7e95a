"""The new-measure form: the offers grouped by step, and no price asked for a free offer."""

from django.urls import reverse
from django.utils import timezone

from trappen.catalogue.models import Intervention
from trappen.measures.forms import EpisodeForm
from trappen.measures.models import Episode

from ..web.test_flow import day


def test_the_offers_come_in_one_group_per_step(org):
    org.intervention(0)
    page = org.client(org.cw1).get(reverse("measures:episode_add", args=[org.case().pk])).content
    html = page.decode()
    select = html[html.index('name="intervention"') : html.index("</select>")]
    assert select.count("<optgroup") == 6  # steps 0-5
    assert '<optgroup label="0. ' in select
    # Every offer of the catalogue is offered, each once.
    assert select.count("<option") - 1 == Intervention.objects.count()


def test_a_free_offer_is_started_without_a_price(org):
    free = org.intervention(0)
    case = org.case()
    data = {"intervention": free.pk, "start_on": day(timezone.localdate())}
    response = org.client(org.cw1).post(reverse("measures:episode_add", args=[case.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Episode.objects.get(case=case).daily_cost == 0


def test_an_offer_that_costs_still_needs_its_price(org):
    paid = org.intervention(2)
    form = EpisodeForm(
        data={"intervention": paid.pk, "start_on": day(timezone.localdate())}, case=org.case()
    )
    assert not form.is_valid()
    assert "daily_cost" in form.errors


def test_the_price_field_names_the_free_offers_for_the_page_to_hide_it(org):
    free = org.intervention(0)
    widget = EpisodeForm(case=org.case()).fields["daily_cost"].widget
    assert str(free.pk) in widget.attrs["data-free-options"].split()
    assert widget.attrs["data-free-with"] == "id_intervention"
