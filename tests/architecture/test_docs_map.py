"""F7 point 6: docs/development.md maps every app (it once listed 11 of 22, then missed drafts)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_development_guide_names_every_app():
    guide = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    apps = sorted(p.parent.name for p in (ROOT / "trappen").glob("*/apps.py"))
    assert len(apps) > 20
    assert [app for app in apps if f"`{app}`" not in guide] == []
