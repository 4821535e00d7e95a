"""Secure defaults: what a production install gets without any extra configuration."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.real_password_hashing


def test_production_defaults_are_secure():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.PASSWORD_HASHERS[0] == "trappen.security.hashers.TrappenArgon2PasswordHasher"
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"


def test_pages_send_security_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(reverse("dashboards:my_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_stylesheet_and_htmx_are_served_locally():
    from django.contrib.staticfiles import finders

    assert finders.find("trappen/app.css")
    assert finders.find("django_htmx/htmx-2.min.js")


def test_danish_whatever_the_browser_asks_and_english_when_chosen(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Log ind" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()
