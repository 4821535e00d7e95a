"""Idle timeout: no request for TRAPPEN_IDLE_TIMEOUT_MINUTES logs the user out."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

IDLE = timedelta(minutes=settings.TRAPPEN_IDLE_TIMEOUT_MINUTES)


def test_activity_keeps_the_session_and_idleness_ends_it(org, clock):
    client = org.client(org.cw1)
    assert client.get(reverse("dashboards:my_home")).status_code == 200
    # Requests spaced just under the limit keep the user logged in well past it.
    for _ in range(3):
        clock.advance(IDLE - timedelta(minutes=1))
        assert client.get(reverse("dashboards:my_home")).status_code == 200

    clock.advance(IDLE + timedelta(minutes=1))
    response = client.get(reverse("dashboards:my_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session

    login_page = client.get(response.url)
    shown = [str(m) for m in login_page.context["messages"]]
    assert len(shown) == 1 and str(settings.TRAPPEN_IDLE_TIMEOUT_MINUTES) in shown[0]


def test_an_htmx_request_after_the_timeout_loads_the_login_page_as_a_whole(org, clock):
    client = org.client(org.cw1)
    client.get(reverse("dashboards:my_home"))
    clock.advance(IDLE + timedelta(minutes=1))
    response = client.get(reverse("dashboards:my_home"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_journal_note_sent_after_the_timeout_is_kept_and_offered_after_login(org, clock):
    """F10 point 2: the note went to login, then a blank 405, and was gone."""
    from trappen.cases.models import JournalEntry
    from trappen.security.models import KeptInput

    case = org.case()
    client = org.client(org.cw1)
    client.get(reverse("cases:case", args=[case.pk]))
    clock.advance(IDLE + timedelta(minutes=1))
    url = reverse("cases:journal_add", args=[case.pk])
    note = "Hjemmebesøg: mor og barn hjemme. Barnet fortalte om skolen.\nAftalt nyt besøg."
    response = client.post(url, {"heading": JournalEntry.Heading.NOTE, "text": note})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert not JournalEntry.objects.filter(case=case).exists()
    kept = KeptInput.objects.get(user=org.cw1)
    assert kept.path == url and kept.data["text"] == [note]
    assert "csrfmiddlewaretoken" not in kept.data

    # Logging in again and following login's `next` (the POST-only URL): no 405, the note.
    client.force_login(org.cw1)
    after = client.get(url)
    assert after.status_code == 302 and after.url == reverse("security:resume")
    page = client.get(after.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hjemmebesøg: mor og barn hjemme." in html and f'action="{url}"' in html

    # Sent again from there, it is saved and the kept copy goes.
    client.post(
        url,
        {"heading": JournalEntry.Heading.NOTE, "text": note, "_trappen_kept": str(kept.pk)},
    )
    assert JournalEntry.objects.get(case=case).text == note
    assert not KeptInput.objects.exists()


def test_another_user_never_gets_the_kept_input(org, clock):
    from trappen.cases.models import JournalEntry
    from trappen.security.models import KeptInput

    case = org.case()
    client = org.client(org.cw1)
    client.get(reverse("dashboards:my_home"))
    clock.advance(IDLE + timedelta(minutes=1))
    client.post(
        reverse("cases:journal_add", args=[case.pk]),
        {"heading": JournalEntry.Heading.NOTE, "text": "Fortroligt notat"},
    )
    assert KeptInput.objects.filter(user=org.cw1).count() == 1
    other = org.client(org.leader)
    assert "Fortroligt notat" not in other.get(reverse("security:resume")).content.decode()
    kept = KeptInput.objects.get()
    other.post(reverse("security:discard", args=[kept.pk]))
    assert KeptInput.objects.filter(pk=kept.pk).exists()


def test_a_cross_site_post_after_the_timeout_is_not_kept(org, clock):
    from django.test import Client

    from trappen.security.models import KeptInput

    case = org.case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.cw1)
    client.get(reverse("dashboards:my_home"))
    clock.advance(IDLE + timedelta(minutes=1))
    client.post(reverse("cases:journal_add", args=[case.pk]), {"heading": "note", "text": "x"})
    assert not KeptInput.objects.exists()


def test_stay_extends_the_session(org, clock):
    client = org.client(org.cw1)
    client.get(reverse("dashboards:my_home"))
    clock.advance(IDLE - timedelta(minutes=2))
    assert client.post(reverse("security:stay")).status_code == 200
    clock.advance(IDLE - timedelta(minutes=2))
    assert client.get(reverse("dashboards:my_home")).status_code == 200
