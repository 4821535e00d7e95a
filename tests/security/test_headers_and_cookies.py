"""Security headers, cookie flags and CSRF, as a production install (DEBUG off) sends them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PASSWORD

TEMPLATE_ROOT = Path(settings.BASE_DIR)


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def assert_security_headers(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" in response
    assert "max-age=" in response["Strict-Transport-Security"]
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp["default-src"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


def test_debug_is_off_in_tests():
    assert settings.DEBUG is False


def test_the_login_page_sends_the_headers_and_a_secure_csrf_cookie(db):
    response = Client().get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_logged_in_page_sends_the_headers_and_the_session_cookie_is_locked_down(org):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "anna", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # A browser-session cookie: no expiry, so it ends when the browser closes.
    assert cookie["expires"] == "" and cookie["max-age"] == ""

    case = org.case()
    for url in (reverse("dashboards:my_home"), reverse("cases:case", args=[case.pk])):
        page = client.get(url, secure=True)
        assert page.status_code == 200
        assert_security_headers(page)
        # Pages with case data are kept by neither the browser nor a proxy.
        assert {"no-store", "private"} <= {d.strip() for d in page["Cache-Control"].split(",")}


def test_hsts_is_only_sent_over_https(db):
    assert "Strict-Transport-Security" not in Client().get(reverse("login"))


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),  # inline script
    re.compile(r"<style\b", re.IGNORECASE),
    re.compile(r"\sstyle\s*=", re.IGNORECASE),
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),  # onclick= and friends
    re.compile(r"\shx-on[:-]", re.IGNORECASE),
    re.compile(r"javascript:", re.IGNORECASE),
]


def project_templates() -> list[Path]:
    return sorted(TEMPLATE_ROOT.rglob("templates/**/*.html"))


def test_no_template_has_inline_script_style_or_handlers():
    """The CSP blocks inline code and styles; one left in a template would silently break."""
    offenders = {
        str(path.relative_to(TEMPLATE_ROOT))
        for path in project_templates()
        for pattern in INLINE
        if pattern.search(path.read_text())
    }
    assert project_templates()
    assert offenders == set()


def iter_views(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from iter_views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_view_is_exempt_from_csrf():
    views = list(iter_views(get_resolver()))
    assert len(views) > 20
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    # The API takes a bearer token only, never the session cookie (tests/api/test_auth.py):
    # without a cookie there is nothing to forge.
    assert [route for route in exempt if not route.startswith("api/")] == []


@pytest.mark.parametrize("with_token", [False, True])
def test_a_post_without_the_csrf_token_is_refused(org, with_token):
    case = org.case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.cw1)
    page = client.get(reverse("cases:case", args=[case.pk]))
    data = {"heading": "note", "text": "Samtale med mor."}
    if with_token:
        data["csrfmiddlewaretoken"] = page.context["csrf_token"]
    response = client.post(reverse("cases:journal_add", args=[case.pk]), data)
    assert response.status_code == (302 if with_token else 403)
    assert case.journal.count() == (1 if with_token else 0)
