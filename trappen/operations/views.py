"""/healthz and /readyz: plain answers for a load balancer, no login, nothing about cases."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .health import readiness


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answers requests."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """The process can serve: the database answers and every migration is applied."""
    state = readiness()
    return JsonResponse(
        {
            "ready": state.ready,
            "database": "ok" if state.database else "unreachable",
            "migrations": "ok" if state.migrations else "pending",
        },
        status=200 if state.ready else 503,
    )
