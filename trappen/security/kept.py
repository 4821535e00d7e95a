"""Nothing typed is lost (F10 point 2): a form posted after the idle timeout is kept for its
user and offered again, filled in, after the next login (docs/security.md, "Idle timeout")."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from trappen.common.requests import AuthenticatedRequest

from .models import KeptInput

# The session key naming the kept inputs' paths waiting for the user after login.
RESUME_KEY = "trappen_resume"
# The hidden field a re-sent form carries, so the kept row is deleted once it is sent again.
KEPT_FIELD = "_trappen_kept"
_LEFT_OUT = {"csrfmiddlewaretoken", KEPT_FIELD}


def _no_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


def csrf_accepted(request: HttpRequest) -> bool:
    """The post passes Django's CSRF check: a form another site made the browser send is
    never kept (it would be offered to the user as their own)."""
    checker = CsrfViewMiddleware(_no_view)
    return checker.process_view(request, _no_view, (), {}) is None


def keep(request: AuthenticatedRequest) -> KeptInput | None:
    """Keeps the posted fields of the user's request (files are not kept). A draft's autosave
    (a view marked @on_expired) keeps them as the draft itself: the row returned, unsaved,
    only names the page to go back to after the login (the form, filled from the draft)."""
    expired = _on_expired(request)
    if expired is not None:
        return expired
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key not in _LEFT_OUT and any(v.strip() for v in request.POST.getlist(key))
    }
    if not data:
        return None
    return KeptInput.objects.create(user=request.user, path=request.path[:255], data=data)


def waiting_paths(user: Any) -> list[str]:
    return list(KeptInput.objects.filter(user=user).values_list("path", flat=True))


def on_login(sender: object, request: HttpRequest, user: Any, **kwargs: object) -> None:
    """After a login, the paths with kept input go into the session, so the middleware can
    send a GET of one of them (login's `next`, a POST-only URL) to the resume page instead of
    a 405, without a query on every request."""
    paths = waiting_paths(user)
    if paths and request is not None and hasattr(request, "session"):
        request.session[RESUME_KEY] = paths


def resend_done(request: AuthenticatedRequest) -> None:
    """A form re-sent from the resume page: its kept row goes."""
    kept_id = request.POST.get(KEPT_FIELD, "")
    if kept_id.isdigit():
        KeptInput.objects.filter(pk=int(kept_id), user=request.user).delete()
        forget_path(request, request.path)


def forget_path(request: HttpRequest, path: str) -> None:
    paths = request.session.get(RESUME_KEY)
    if paths and path in paths:
        request.session[RESUME_KEY] = [p for p in paths if p != path]


def discard(user: Any, pk: int) -> None:
    """The user's kept input `pk` thrown away (someone else's is never touched)."""
    KeptInput.objects.filter(pk=pk, user=user).delete()


def resume_form(path: str) -> Callable[..., Any] | None:
    """The form class a POST view declared with @keeps_input, for labels on the resume page."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "resume_form", None)


def _on_expired(request: AuthenticatedRequest) -> KeptInput | None:
    from django.http import Http404
    from django.urls import Resolver404, resolve

    try:
        match = resolve(request.path)
    except Resolver404:
        return None
    handler = getattr(match.func, "on_expired", None)
    if handler is None:
        return None
    try:
        back = handler(request, **match.kwargs)
    except Http404:  # no longer theirs to write: nothing kept
        return None
    return KeptInput(user=request.user, path=back, data={})


def on_expired(
    handler: Callable[..., str],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a POST view whose input, posted after the idle timeout, `handler(request,
    **kwargs)` keeps itself (a draft's autosave); it returns the path to go back to."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.on_expired = handler  # type: ignore[attr-defined]
        return view

    return mark


def keeps_input(form_class: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a POST-only view with its form, so kept input is shown with the form's labels."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.resume_form = form_class  # type: ignore[attr-defined]
        return view

    return mark
