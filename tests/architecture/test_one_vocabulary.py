"""F7 point 3: one declaration of each vocabulary. The values live in trappen/core; the Django
choices only attach labels to them, so a new value cannot be added in one place and missed in
another."""

import ast
from pathlib import Path

from trappen.cases.models import Sex as ChildSex
from trappen.catalogue.models import LegalConcept as CatalogueConcept
from trappen.core import cpr, legal
from trappen.rules.models import LegalBasis

ROOT = Path(__file__).resolve().parents[2] / "trappen"


def test_the_choices_are_the_core_vocabularies() -> None:
    assert set(CatalogueConcept.values) == {c.value for c in legal.LegalConcept}
    assert set(LegalBasis.Concept.values) == (
        {c.value for c in legal.LegalConcept} - {"none"} | {d.value for d in legal.CaseDecision}
    )
    assert set(ChildSex.values) == {s.value for s in cpr.Sex}


def test_the_plan_concepts_are_support_and_placement() -> None:
    assert legal.SUPPORT_CONCEPTS < legal.PLAN_CONCEPTS
    assert {legal.LegalConcept.PLACEMENT} == legal.PLAN_CONCEPTS - legal.SUPPORT_CONCEPTS


def test_no_module_spells_a_concept_set_of_its_own() -> None:
    """A tuple or set of concept strings outside core/legal.py is a second declaration."""
    concepts = {c.value for c in legal.LegalConcept} - {"none"}
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path == ROOT / "core" / "legal.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.Set | ast.List):
                strings = {
                    e.value
                    for e in node.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                }
                if len(strings & concepts) >= 2:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def test_one_sex_enum() -> None:
    declared = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if "class Sex(StrEnum)" in p.read_text(encoding="utf-8")
    ]
    assert declared == ["core/cpr.py"]
