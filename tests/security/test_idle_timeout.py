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
