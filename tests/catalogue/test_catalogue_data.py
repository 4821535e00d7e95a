"""The catalogue as data: every offer of the staircase (Tidlige og helhedsorienterede indsatser,
2018) loaded by the migrations, with valid fields."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

import trappen
from trappen.catalogue.models import (
    PLACEMENT_TYPE_CHOICES,
    CadenceCategory,
    Intervention,
    LegalConcept,
    Step,
)
from trappen.core import ruledata
from trappen.core.staircase import PlacementType
from trappen.organisation.models import User

# Numbered offers per step in Tidlige og helhedsorienterede indsatser (2018); step 3 has none:
# the step itself is the offer.
SEED_NUMBERED = {0: 8, 1: 14, 2: 20, 3: 0, 4: 4, 5: 5}


def file_items() -> list[dict]:
    return ruledata.load("interventions.json")["interventions"]


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
        assert "Tidlige og helhedsorienterede indsatser" in offer.source
        assert item["ref"] in offer.source


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
        ("Tidsbegrænset anbringelse – Toften", "residential_institution"),
        ("Socialpædagogisk opholdssted", "socio_pedagogical"),
        ("Anbringelse på eget værelse", "home_based"),
        ("Støttekontaktperson", ""),
        ("Støtte til unge i egen bolig", ""),
    ]:
        assert Intervention.objects.get(name=name).placement_type == placement_type


# --- F8 point 9: classifications as the seed says, each changed row with its source ---------


def test_a_boarding_school_can_be_a_home_based_placement(db):
    """KORA 2017, section 4.3: "Med hjemmebaserede anbringelser menes kost- og efterskoler,
    anbringelser på eget værelse og lignende anbringelsesformer"; Barnets Lov § 43, stk. 1,
    nr. 7: "Pladser på efterskoler, frie fagskoler og frie grundskoler med kostafdeling". A
    stay can be a placement (home-based) or a support stay (§ 32, stk. 1, nr. 7)."""
    placed = Intervention.objects.get(name="Anbringelse på kost- eller efterskole")
    assert placed.step_id == 2
    assert placed.placement_type == PlacementType.HOME_BASED
    assert placed.legal_concept == LegalConcept.PLACEMENT
    assert placed.cadence_category == CadenceCategory.BOARDING_SCHOOL
    assert "4.3" in placed.classification_source
    stay = Intervention.objects.get(name="Kost- og efterskole")
    assert stay.placement_type == "" and stay.cadence_category == CadenceCategory.BOARDING_SCHOOL
    assert "§ 43, stk. 1, nr. 7" in stay.classification_source


def test_toften_is_a_residential_institution(db):
    """Tidlige og helhedsorienterede indsatser (2018), step 5: "Toften, en afdeling under
    Børne og Familiecenter Herning har tidsbegrænsede institutionsanbringelser" — a municipal
    døgninstitution, not a socio-pedagogical residence; KORA's category of the latter keeps an
    offer of its own (table 2.2, "Socialpædagogiske opholdssteder")."""
    toften = Intervention.objects.get(name="Tidsbegrænset anbringelse – Toften")
    assert toften.placement_type == PlacementType.RESIDENTIAL_INSTITUTION
    assert toften.cadence_category == CadenceCategory.SHORT_TERM
    assert "institutionsanbringelser" in toften.classification_source
    residence = Intervention.objects.get(name="Socialpædagogisk opholdssted")
    assert residence.placement_type == PlacementType.SOCIO_PEDAGOGICAL
    assert "2.2" in residence.classification_source


def test_stoette_til_unge_i_egen_bolig_is_named_and_classified_as_the_seed_says(db):
    """Tidlige og helhedsorienterede indsatser (2018), step 2 "Hjemmebaserede indsatser", no.
    20: "Støtte til unge i egen bolig." — the seed says nothing of aftercare or 18-22 years."""
    offer = Intervention.objects.get(name="Støtte til unge i egen bolig")
    assert offer.step_id == 2 and offer.legal_concept == LegalConcept.SUPPORTING_MEASURE
    assert offer.is_aftercare is False
    assert (offer.target_age_min, offer.target_age_max) == (None, None)
    assert "nr. 20" in offer.classification_source
    assert not Intervention.objects.filter(name="Efterværn – støtte i egen bolig").exists()


def test_every_row_changed_after_the_first_catalogue_names_its_source(db):
    """Every changed row with its source (F8 point 9): the file's classification_source
    reaches the table, and every row carrying one quotes its seed or paragraph."""
    changed = [i for i in file_items() if i.get("classification_source")]
    assert len(changed) >= 5
    for item in changed:
        offer = Intervention.objects.get(name=item["name"])
        assert offer.classification_source == item["classification_source"]
        assert "»" in offer.classification_source, offer


def test_the_rename_migration_keeps_the_row(db):
    """The old row is renamed, not duplicated: episodes that point at it keep pointing at it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("trappen.catalogue.migrations.0007_classification_fixes")
    offer = Intervention.objects.get(name="Støtte til unge i egen bolig")
    offer.name = "Efterværn – støtte i egen bolig"
    offer.save()
    migration.forwards(apps, None)
    assert Intervention.objects.get(pk=offer.pk).name == "Støtte til unge i egen bolig"
    assert not Intervention.objects.filter(name="Efterværn – støtte i egen bolig").exists()


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


def test_sources_cite_titles_not_working_files(db):
    """F7: data files and the rows loaded from them cite a publication by its title
    (docs/sources.md), never the project's working copy ("seed 003")."""
    root = Path(trappen.__file__).parent
    shipped = [*root.rglob("data/*.json"), *root.rglob("data/*.toml"), *root.rglob("*.toml")]
    named = [str(p) for p in shipped if re.search(r"\bseed 00\d", p.read_text(encoding="utf-8"))]
    assert not named
    rows = [*Step.objects.all(), *Intervention.objects.all()]
    assert rows and not [r for r in rows if "seed 00" in r.source + getattr(r, "description", "")]
