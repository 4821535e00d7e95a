"""The catalogue as data: every offer of seed 003 loaded by the migrations, with valid fields."""

import json
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from trappen.catalogue.loading import DATA
from trappen.catalogue.models import (
    PLACEMENT_TYPE_CHOICES,
    CadenceCategory,
    Intervention,
    LegalConcept,
    Step,
)
from trappen.core.staircase import PlacementType
from trappen.organisation.models import User

# Numbered offers in seed 003 per step (step 3 has none: the step itself is the offer).
SEED_NUMBERED = {0: 8, 1: 14, 2: 20, 3: 0, 4: 4, 5: 5}


def file_items() -> list[dict]:
    return json.loads((DATA / "interventions.json").read_text(encoding="utf-8"))["interventions"]


def test_every_offer_of_the_file_is_loaded_with_its_fields(db):
    items = file_items()
    assert len(items) == len({i["name"] for i in items})
    assert Intervention.objects.count() >= len(items) >= sum(SEED_NUMBERED.values())
    loaded = {i.name: i for i in Intervention.objects.select_related("step")}
    for item in items:
        offer = loaded[item["name"]]
        assert offer.step.number == item["step"]
        for field in ("provider", "description", "legal_concept", "cadence_category"):
            assert getattr(offer, field) == item[field], (offer, field)
        assert (offer.target_age_min, offer.target_age_max) == (
            item["target_age_min"],
            item["target_age_max"],
        )
        assert offer.description, offer
        assert "seed 003" in offer.source and item["ref"] in offer.source


def test_each_step_holds_at_least_the_seeds_numbered_offers(db):
    per_step = Counter(Intervention.objects.values_list("step_id", flat=True))
    assert list(Step.objects.values_list("number", flat=True)) == [0, 1, 2, 3, 4, 5]
    for step, numbered in SEED_NUMBERED.items():
        assert per_step[step] >= max(numbered, 1), step


def test_all_seven_placement_types_exist_and_values_are_valid(db):
    offers = list(Intervention.objects.all())
    assert {o.placement_type for o in offers if o.placement_type} == set(PlacementType)
    assert {value for value, _ in PLACEMENT_TYPE_CHOICES} == set(PlacementType)
    for offer in offers:
        assert offer.cadence_category in CadenceCategory.values, offer
        assert offer.legal_concept in LegalConcept.values, offer
        assert offer.placement_type == "" or offer.placement_type in set(PlacementType)
        offer.full_clean()  # ages in order, choices valid


def test_the_legal_kinds_follow_the_staircase(db):
    offers = Intervention.objects.all()
    assert {o.legal_concept for o in offers.filter(step_id=0)} == {LegalConcept.NONE}
    assert {o.cadence_category for o in offers.filter(step_id=0)} == {CadenceCategory.NONE}
    for offer in offers.exclude(placement_type=""):
        assert offer.legal_concept == LegalConcept.PLACEMENT, offer
        assert offer.cadence_category != CadenceCategory.NONE, offer
    for offer in offers.filter(is_aftercare=True):
        assert offer.legal_concept == LegalConcept.AFTERCARE, offer
    mst = offers.get(name="MST – Multisystemisk Terapi")
    assert mst.cadence_category == CadenceCategory.MST
    assert offers.get(name="Tidsbegrænset anbringelse – Toften").cadence_category == "short_term"


def test_names_other_code_relies_on_are_kept(db):
    for name, placement_type in [
        ("Almindelig plejefamilie", "foster_ordinary"),
        ("Anbringelse i slægt eller netværk", "foster_network"),
        ("Døgninstitution", "residential_institution"),
        ("Sikret institution", "secure_institution"),
        ("Tidsbegrænset anbringelse – Toften", "socio_pedagogical"),
        ("Anbringelse på eget værelse", "home_based"),
        ("Støttekontaktperson", ""),
        ("Efterværn – støtte i egen bolig", ""),
    ]:
        assert Intervention.objects.get(name=name).placement_type == placement_type


# --- Bad input ---------------------------------------------------------------------------------


def test_an_intervention_without_step_is_refused(db):
    offer = Intervention(name="Uden trin")
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "step" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Intervention.objects.create(name="Uden trin")


def test_a_lowest_age_above_the_highest_is_refused(db):
    offer = Intervention(name="Omvendt alder", step_id=1, target_age_min=12, target_age_max=4)
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "target_age_max" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        offer.save()
    Intervention.objects.create(name="Lige alder", step_id=1, target_age_min=4, target_age_max=4)


def add_in_admin(client, **data: object):
    base = {"name": "Nyt tilbud", "legal_concept": "none", "cadence_category": "none"}
    return client.post(reverse("admin:catalogue_intervention_add"), {**base, **data})


def test_the_admin_refuses_both_and_accepts_a_good_offer(db, client):
    client.force_login(User.objects.create_superuser("admin", password="x"))
    response = add_in_admin(client, description="Intet trin")
    assert response.status_code == 200 and "step" in response.context["adminform"].form.errors
    response = add_in_admin(client, step=1, target_age_min=12, target_age_max=4)
    assert response.status_code == 200
    assert "target_age_max" in response.context["adminform"].form.errors
    assert not Intervention.objects.filter(name="Nyt tilbud").exists()
    response = add_in_admin(client, step=1, target_age_min=4, target_age_max=12)
    assert response.status_code == 302
    assert Intervention.objects.get(name="Nyt tilbud").target_age_max == 12
