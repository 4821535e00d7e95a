"""Legal bases as data: the paragraph in force on the start date is the episode's basis."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from trappen.catalogue.models import LegalConcept
from trappen.core import ruledata
from trappen.core.legal import LegalBasis, NoBasisInForce, bases_in_force, basis_in_force
from trappen.rules import models as rules

from ..web.test_flow import shows
from .conftest import start

LAST_SEL_DAY = date(2023, 12, 31)
FIRST_BL_DAY = date(2024, 1, 1)


def file_bases() -> list[LegalBasis]:
    rows = ruledata.load("legal_bases.json")["bases"]
    return [
        LegalBasis(
            r["concept"],
            r["law"],
            r["paragraph"],
            date.fromisoformat(r["valid_from"]),
            date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            r["primary"],
        )
        for r in rows
    ]


# --- the pure picker -------------------------------------------------------------------------

CONCEPTS = ["placement", "supporting_measure", "aftercare"]
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def basis(draw: st.DrawFn) -> LegalBasis:
    start = draw(days)
    length = draw(st.none() | st.integers(min_value=0, max_value=4000))
    return LegalBasis(
        draw(st.sampled_from(CONCEPTS)),
        draw(st.sampled_from(["Serviceloven", "Barnets Lov"])),
        f"§ {draw(st.integers(min_value=1, max_value=200))}",
        start,
        None if length is None else start + timedelta(days=length),
        draw(st.booleans()),
    )


@given(st.lists(basis(), max_size=12), st.sampled_from(CONCEPTS), days, st.randoms())
def test_the_picked_basis_is_in_force_primary_first_then_newest(bases, concept, on, rnd):
    candidates = [b for b in bases if b.concept == concept and b.in_force(on)]
    if not candidates:
        with pytest.raises(NoBasisInForce):
            basis_in_force(bases, concept, on)
        return
    picked = basis_in_force(bases, concept, on)
    assert picked in candidates
    if any(b.primary for b in candidates):
        assert picked.primary
    assert all(b.valid_from <= picked.valid_from for b in candidates if b.primary == picked.primary)
    # The order of the rows does not matter.
    shuffled = list(bases)
    rnd.shuffle(shuffled)
    assert basis_in_force(shuffled, concept, on) == picked
    assert bases_in_force(shuffled, concept, on)[0] == picked


def test_validity_is_inclusive_at_both_ends():
    sel = LegalBasis(
        "placement", "Serviceloven", "§ 52, stk. 3, nr. 7", date(2013, 1, 1), LAST_SEL_DAY
    )
    bl = LegalBasis("placement", "Barnets Lov", "§§ 46-47", FIRST_BL_DAY)
    assert basis_in_force([bl, sel], "placement", LAST_SEL_DAY) == sel
    assert basis_in_force([bl, sel], "placement", FIRST_BL_DAY) == bl
    with pytest.raises(NoBasisInForce):
        basis_in_force([bl, sel], "placement", date(2012, 12, 31))
    with pytest.raises(NoBasisInForce):
        basis_in_force([bl, sel], "aftercare", FIRST_BL_DAY)


# --- the data file ---------------------------------------------------------------------------


def test_every_concept_has_exactly_one_primary_basis_on_every_date():
    bases = file_bases()
    concepts = {c for c, _ in rules.LegalBasis.Concept.choices}
    assert {b.concept for b in bases} == concepts
    # The catalogue's kinds of decision (less "none") all have a basis.
    assert set(LegalConcept.values) - {"none"} <= concepts
    edges = {date(2013, 1, 1), date(2040, 1, 1)}
    for b in bases:
        edges |= {b.valid_from, b.valid_from - timedelta(days=1)}
        if b.valid_to:
            edges |= {b.valid_to, b.valid_to + timedelta(days=1)}
    for concept in concepts:
        for on in sorted(d for d in edges if d >= date(2013, 1, 1)):
            primary = [b for b in bases if b.concept == concept and b.primary and b.in_force(on)]
            assert len(primary) == 1, (concept, on, primary)


def test_serviceloven_ends_and_barnets_lov_begins_at_new_year_2024():
    bases = file_bases()
    assert {b.valid_to for b in bases if b.law == "Serviceloven"} == {LAST_SEL_DAY}
    assert {(b.valid_from, b.valid_to) for b in bases if b.law == "Barnets Lov"} == {
        (FIRST_BL_DAY, None)
    }
    items = sorted(b.paragraph for b in bases if b.paragraph.startswith("§ 52, stk. 3, nr."))
    assert items == [f"§ 52, stk. 3, nr. {n}" for n in range(1, 9)]
    nr7 = next(b for b in bases if b.paragraph == "§ 52, stk. 3, nr. 7")
    assert (nr7.concept, nr7.primary) == ("placement", True)


@pytest.mark.django_db
def test_the_migration_loaded_the_file():
    assert rules.LegalBasis.objects.count() == len(file_bases())
    basis = rules.legal_basis_for("supporting_measure", LAST_SEL_DAY)
    assert basis is not None
    assert basis.full_title == (
        "Serviceloven § 52, stk. 3 – Foranstaltninger til børn og unge med behov for særlig støtte"
    )
    assert rules.legal_basis_for("supporting_measure", date(2001, 1, 1)) is None


def test_every_source_fits_the_column_it_is_loaded_into():
    """Every legal-basis and deadline row names its source, and the source fits the database
    column (PostgreSQL refuses a longer one at migrate time, SQLite would not notice); the long
    quotes of the law live in docs/law.md."""
    limit = rules.LegalBasis._meta.get_field("source").max_length
    assert all(0 < len(b["source"]) <= limit for b in ruledata.load("legal_bases.json")["bases"])
    limit = rules.DeadlineRule._meta.get_field("source").max_length
    assert all(0 < len(r["source"]) <= limit for r in ruledata.load("deadlines.json")["rules"])


# --- episodes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_on", "law", "support_paragraph", "placement_paragraph"),
    [
        (LAST_SEL_DAY, "Serviceloven", "§ 52, stk. 3", "§ 52, stk. 3, nr. 7"),
        (FIRST_BL_DAY, "Barnets Lov", "§ 32", "§§ 46-47"),
    ],
)
def test_the_episode_gets_the_basis_in_force_on_its_start_date(
    org, kit, start_on, law, support_paragraph, placement_paragraph
):
    case = org.case()
    support = start(case, kit.support, start_on, org.cw1)
    foster = start(case, kit.foster, start_on, org.cw1, movement_reason="needs_changed")
    assert (support.legal_basis.law, support.legal_basis.paragraph) == (law, support_paragraph)
    assert (foster.legal_basis.law, foster.legal_basis.paragraph) == (law, placement_paragraph)
    response = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    shows(response, "Foranstaltninger og lovgrundlag", f"{law} {support_paragraph}")
    shows(response, f"{law} {placement_paragraph}")


def test_a_later_change_of_law_does_not_move_the_basis_of_a_running_episode(org, kit):
    case = org.case()
    episode = start(case, kit.support, LAST_SEL_DAY, org.cw1)
    rules.LegalBasis.objects.filter(concept="supporting_measure", law="Barnets Lov").update(
        paragraph="§ 99"
    )
    episode.refresh_from_db()
    assert episode.legal_basis.paragraph == "§ 52, stk. 3"


def test_a_universal_offer_has_no_legal_basis(org, kit):
    episode = start(org.case(), kit.universal, FIRST_BL_DAY, org.cw1)
    assert episode.legal_basis is None


def test_a_concept_without_a_basis_on_the_date_leaves_it_empty(org, kit):
    rules.LegalBasis.objects.filter(concept="early_prevention").delete()
    episode = start(org.case(), kit.prevention, FIRST_BL_DAY, org.cw1)
    assert episode.legal_basis is None


def test_the_admin_lists_the_legal_bases(org):
    org.analyst.is_staff = org.analyst.is_superuser = True
    org.analyst.save()
    response = org.client(org.analyst).get(reverse("admin:rules_legalbasis_changelist"))
    assert response.status_code == 200
    shows(response, "§ 52, stk. 3, nr. 7", "§§ 46-47")


def test_shuffled_file_rows_pick_the_same_basis():
    bases = file_bases()
    rnd = random.Random(7)
    for concept in {b.concept for b in bases}:
        for on in (LAST_SEL_DAY, FIRST_BL_DAY):
            expected = basis_in_force(bases, concept, on)
            rnd.shuffle(bases)
            assert basis_in_force(bases, concept, on) == expected
