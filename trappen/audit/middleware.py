"""Request-scoped audit context: who is acting, and the READ entry of what they were shown."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import log


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The user is read from the request when an entry is written (login changes it).
        ctx = log.Context(source="web", request=request)
        with log.context(ctx):
            response = self.get_response(request)
            # Whatever the status: a form re-rendered with errors (400) shows the case too.
            log.flush_reads(ctx, response.status_code)
        return response
