"""Secure defaults: what a production install gets without any extra configuration."""

from django.conf import settings
from django.urls import reverse


def test_production_defaults_are_secure():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.LANGUAGE_CODE == "da"
    assert settings.TIME_ZONE == "Europe/Copenhagen"


def test_pages_send_security_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(reverse("my_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
