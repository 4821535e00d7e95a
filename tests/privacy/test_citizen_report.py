"""F10 point 7: the access report a citizen reads: Danish labels, no internal field names or
versions, the audit history in plain words, printable."""

import re
from pathlib import Path

from django.urls import reverse
from django.utils import formats, timezone, translation

from trappen.audit.models import AuditAction, AuditEntry


def _page(org, history, dpo) -> str:
    response = org.client(dpo).get(reverse("privacy:report", args=[history.child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_no_english_labels_or_internal_names_on_the_page(org, history, dpo):
    org.client(org.cw2).get(reverse("cases:case", args=[history.case.pk]))
    html = _page(org, history, dpo)
    for english in (
        "Created at",
        "Registered by",
        "Caseload at assignment",
        "Was suggested",
        "Case assignments",
        "Action plan revisions",
        "Assigned by",
        "Recorded by",
    ):
        assert english.lower() not in html.lower(), english
    assert ">Version<" not in html and ">version<" not in html.lower()
    # No model labels such as cases.caseassignment anywhere on the page.
    assert not re.search(r"\b(cases|intake|plans|measures|followups|consent)\.[a-z]+\b", html)
    assert "Fordelinger til en socialrådgiver" in html


def test_the_audit_history_reads_as_sentences(org, history, dpo):
    org.client(org.cw2).get(reverse("cases:case", args=[history.case.pk]))
    html = _page(org, history, dpo)
    entry = (
        AuditEntry.objects.about_child(history.child.pk)
        .filter(actor=org.cw2, action=AuditAction.READ)
        .first()
    )
    at = timezone.localtime(entry.at)
    with translation.override("da"):
        day = formats.date_format(at, "j. F Y")
    expected = f"{org.cw2.get_full_name()}, socialrådgiver, så sagen {day}"
    assert expected in html


def test_the_page_is_printable(org, history, dpo):
    html = _page(org, history, dpo)
    assert "privacy/report.css" in html
    from django.contrib.staticfiles import finders

    css = Path(finders.find("privacy/report.css")).read_text(encoding="utf-8")
    assert "@media print" in css and "A4" in css
