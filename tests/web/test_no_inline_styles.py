"""Our Content-Security-Policy allows styles from our stylesheets only (style-src 'self'): an
inline style attribute is blocked by the browser and its layout silently lost (the catalogue's
filters were)."""

import re
from pathlib import Path

from django.urls import reverse

TRAPPEN = Path(__file__).parents[2] / "trappen"


def test_the_catalogue_page_has_no_inline_style(org):
    page = org.client(org.cw1).get(reverse("catalogue:index")).content.decode()
    assert "<form" in page
    assert " style=" not in page


def test_no_template_or_widget_sets_an_inline_style():
    offenders = [
        str(path.relative_to(TRAPPEN))
        for path in [*TRAPPEN.rglob("templates/**/*.html"), *TRAPPEN.rglob("*.py")]
        if re.search(r"""\sstyle=["']|["']style["']\s*:""", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
