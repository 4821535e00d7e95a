"""Idle timeout and the response headers Django's SecurityMiddleware does not set."""

from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from trappen.common.requests import AuthenticatedRequest

from .kept import KEPT_FIELD, RESUME_KEY, csrf_accepted, keep, resend_done

LAST_SEEN_KEY = "trappen_last_seen"
# The session is written at most this often, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 30


def idle_timeout_minutes() -> int:
    return int(getattr(settings, "TRAPPEN_IDLE_TIMEOUT_MINUTES", 30))


class IdleTimeoutMiddleware:
    """Logs the user out after TRAPPEN_IDLE_TIMEOUT_MINUTES without a request. Needs the
    session, authentication and message middleware before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            minutes = idle_timeout_minutes()
            if last_seen is not None and now - float(last_seen) > minutes * 60:
                kept = None
                if request.method == "POST" and csrf_accepted(request):
                    kept = keep(
                        cast(AuthenticatedRequest, request)
                    )  # the note typed is kept for the next login
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)s minutes without activity.")
                    % {"minutes": minutes},
                )
                if kept is not None:
                    messages.info(
                        request,
                        _("What you sent is kept: log in again and it is offered to you."),
                    )
                login_url = resolve_url(settings.LOGIN_URL)
                if kept is not None:
                    login_url = f"{login_url}?{urlencode({'next': kept.path})}"
                if request.headers.get("HX-Request") == "true":
                    # htmx would swap the login page into a fragment: load it as a whole page.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = login_url
                    return response
                if request.method == "POST":
                    return HttpResponseRedirect(login_url)
            elif last_seen is None or now - float(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
            if request.method == "POST" and KEPT_FIELD in request.POST:
                resend_done(cast(AuthenticatedRequest, request))
            elif request.method == "GET" and request.path in request.session.get(RESUME_KEY, ()):
                # Login's `next` is the POST-only URL the form went to: offer the kept input
                # there instead of a 405.
                return HttpResponseRedirect(reverse("security:resume"))
        return self.get_response(request)


# Scripts and styles only from our own origin: no inline code, no eval, no third parties.
DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has no
    built-in CSP). A view may set its own, stricter header; it is then left alone.

    Every response to a logged-in user (pages, htmx fragments, downloads) may hold case data:
    `Cache-Control: no-store, private`, so neither the browser's cache nor a proxy keeps it
    (the back button after logging out shows nothing)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = getattr(settings, "TRAPPEN_CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        self.permissions = getattr(
            settings, "TRAPPEN_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
