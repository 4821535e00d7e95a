"""F7 point 6: docs/development.md maps every app (it once listed 11 of 22, then missed drafts),
and docs and code cite sources by title (docs/sources.md), never the working notes' files."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_development_guide_names_every_app():
    guide = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    apps = sorted(p.parent.name for p in (ROOT / "trappen").glob("*/apps.py"))
    assert len(apps) > 20
    assert [app for app in apps if f"`{app}`" not in guide] == []


# A working note's file name ("seed" and its number), as the docs once cited the compendium.
WORKING_FILE = re.compile(r"\bseed\s+0\d\d\b", re.IGNORECASE)


def test_docs_and_code_cite_sources_by_title():
    texts = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "trappen").rglob("*.py")]
    shipped = [p for p in texts if "migrations" not in p.parts]  # a migration is history
    citing = [str(p.relative_to(ROOT)) for p in shipped if WORKING_FILE.search(p.read_text())]
    assert citing == []
