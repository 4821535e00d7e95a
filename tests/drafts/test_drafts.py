"""Drafts of long texts (F10 point 2): a journal note or minutes typed are saved on the server
as the author's draft, offered again when the form is opened, and gone once saved or
discarded; nobody else reads them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from trappen.audit.models import AuditEntry
from trappen.cases.models import JournalEntry
from trappen.drafts.models import Draft
from trappen.meetings import services as meetings
from trappen.privacy.retention import DELETE, MEETING_RECORDS

NOTE = "Hjemmebesøg hos mor og barn.\nBarnet fortalte om skolen og om sin ven."
HTMX = {"HX-Request": "true"}


def autosave(client, case, text, heading=JournalEntry.Heading.CHILD_CONVERSATION):
    return client.post(
        reverse("drafts:journal", args=[case.pk]), {"heading": heading, "text": text}, headers=HTMX
    )


def test_a_note_being_typed_survives_a_lost_page(org):
    case = org.case()
    client = org.client(org.cw1)
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    # The journal's text saves itself (htmx) while the user types and when it loses focus.
    assert f'hx-post="{reverse("drafts:journal", args=[case.pk])}"' in page
    assert 'hx-trigger="keyup changed delay:2s, change"' in page

    response = autosave(client, case, NOTE[:20])
    assert response.status_code == 200 and "draft-status" not in response.content.decode()
    autosave(client, case, NOTE)
    draft = Draft.objects.get(author=org.cw1, case=case)  # one draft, brought up to date
    assert draft.text == NOTE and draft.heading == JournalEntry.Heading.CHILD_CONVERSATION

    # The tab is closed; a new page of the case (a new client, the same user) offers it again.
    again = org.client(org.cw1).get(reverse("cases:case", args=[case.pk]))
    form = again.context["journal_form"]
    assert form.initial["text"] == NOTE
    assert form.initial["heading"] == JournalEntry.Heading.CHILD_CONVERSATION
    html = again.content.decode()
    assert "Barnet fortalte om skolen" in html
    assert reverse("drafts:discard", args=[draft.pk]) in html
    # Its read is audited as case content (the author's own draft), in the page's READ entry.
    shown = [
        row
        for entry in AuditEntry.objects.filter(actor=org.cw1, action="read")
        for row in entry.objects_shown or [[entry.object_type, entry.object_pk]]
    ]
    assert ["drafts.draft", str(draft.pk)] in [row[:2] for row in shown]
    assert not JournalEntry.objects.filter(case=case).exists()  # a draft is not a note


def test_saving_the_note_removes_its_draft(org):
    case, other_case = org.case(), org.case(org.child("0202151234"))
    client = org.client(org.cw1)
    autosave(client, case, NOTE)
    autosave(client, other_case, "Et andet barn.")
    client.post(
        reverse("cases:journal_add", args=[case.pk]),
        {"heading": JournalEntry.Heading.NOTE, "text": NOTE},
    )
    assert JournalEntry.objects.get(case=case).text == NOTE
    assert not Draft.objects.filter(case=case).exists()
    # The draft of another case stays; the form of the saved one is empty again.
    assert Draft.objects.filter(case=other_case).exists()
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert not page.context["journal_form"].initial.get("text")
    # Both the draft's creation and its removal are in the audit log, no text in them.
    entries = AuditEntry.objects.filter(object_type="drafts.draft")
    assert {"create", "delete"} <= set(entries.values_list("action", flat=True))
    assert not any("Hjemmebesøg" in str(e.detail) for e in entries)


def test_another_user_cannot_read_or_discard_a_draft(org):
    case = org.case()
    autosave(org.client(org.cw1), case, NOTE)
    draft = Draft.objects.get()
    assert org.client(org.cw1).get(reverse("drafts:draft", args=[draft.pk])).status_code == 200
    # A colleague of the same team who reads the case, its team leader, another team's worker.
    for user in (org.cw2, org.leader, org.cw_south):
        client = org.client(user)
        shown = client.get(reverse("drafts:draft", args=[draft.pk]))
        assert shown.status_code == 404 and "fortalte om skolen" not in shown.content.decode()
        assert client.post(reverse("drafts:discard", args=[draft.pk])).status_code == 404
        refused = AuditEntry.objects.filter(actor=user, detail__refused="policy")
        assert refused.filter(detail__object="drafts.draft", detail__pk=draft.pk).count() == 2
        # The case page they may read does not offer them the author's draft.
        page = client.get(reverse("cases:case", args=[case.pk]))
        assert "fortalte om skolen" not in page.content.decode()
    assert Draft.objects.filter(pk=draft.pk).exists()
    # Writing a draft on a case one may not edit is refused too (nothing saved).
    assert autosave(org.client(org.cw_south), case, "x").status_code == 404
    assert Draft.objects.count() == 1


def test_the_author_discards_a_draft(org):
    case = org.case()
    client = org.client(org.cw1)
    autosave(client, case, NOTE)
    draft = Draft.objects.get()
    response = client.post(reverse("drafts:discard", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url == reverse("cases:case", args=[case.pk]) + "#journal"
    assert not Draft.objects.exists()
    # Emptying the text is discarding it too.
    autosave(client, case, NOTE)
    autosave(client, case, "   ")
    assert not Draft.objects.exists()


def test_typing_on_after_the_idle_timeout_keeps_the_draft_and_returns_to_the_form(org, clock):
    from trappen.security.models import KeptInput

    case = org.case()
    client = org.client(org.cw1)
    client.get(reverse("cases:case", args=[case.pk]))
    autosave(client, case, NOTE[:30])
    clock.advance(timedelta(minutes=settings.TRAPPEN_IDLE_TIMEOUT_MINUTES + 1))
    response = autosave(client, case, NOTE)
    back = reverse("cases:case", args=[case.pk]) + "#journal"
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login") + "?" + urlencode({"next": back})
    assert "_auth_user_id" not in client.session
    assert Draft.objects.get(author=org.cw1, case=case).text == NOTE  # the last keys too
    assert not KeptInput.objects.exists()  # kept as the draft, not as a form to resend
    client.force_login(org.cw1)
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.context["journal_form"].initial["text"] == NOTE


@pytest.fixture
def meeting(org):
    series = meetings.create_internal_series(org.north)
    from django.utils import timezone

    first = timezone.localdate() + timedelta(days=1)
    return meetings.plan(series, first, first + timedelta(days=30))[0]


def test_minutes_being_written_are_a_draft_until_saved(org, meeting):
    client = org.client(org.leader)  # the team leader writes the minutes
    url = reverse("meetings:minutes", args=[meeting.pk])
    assert reverse("drafts:minutes", args=[meeting.pk]) in client.get(url).content.decode()
    client.post(reverse("drafts:minutes", args=[meeting.pk]), {"minutes": "Punkt 1: sparring"})
    draft = Draft.objects.get(author=org.leader, meeting=meeting)
    assert client.get(url).context["form"].initial["minutes"] == "Punkt 1: sparring"
    # A team member who may not write the minutes neither saves nor reads a draft of them.
    other = org.client(org.cw2)
    assert (
        other.post(reverse("drafts:minutes", args=[meeting.pk]), {"minutes": "x"}).status_code
        == 404
    )
    assert other.get(reverse("drafts:draft", args=[draft.pk])).status_code == 404
    meetings.record_minutes(meeting, minutes="Punkt 1: sparring", decisions={}, by=org.leader)
    assert not Draft.objects.exists()


def test_retention_covers_drafts():
    """A child's drafts go with the child's data; minutes drafts lose their text by age."""
    assert "drafts.draft" in DELETE
    assert MEETING_RECORDS["drafts.draft"] == "meeting__starts_at"
