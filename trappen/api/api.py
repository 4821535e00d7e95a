"""The API for other systems, version 1 (docs/api.md): `/api/v1/…`, its OpenAPI 3 document at
`/api/schema/`. Bearer tokens only (`auth.TokenAuth`): no session cookie, so no CSRF."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from .auth import TokenAuth
from .throttle import TokenRateThrottle
from .views import cases, interchange, steering

api = NinjaAPI(
    title="trappen",
    version="1",
    description=(
        "Case data, key figures and the CSV interchange for other systems. Every call reads "
        "what the token's account may read, within the token's scopes, and is audited "
        "(docs/api.md)."
    ),
    openapi_url="/schema/",
    docs_url=None,
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=TokenRateThrottle(),
)
api.add_router("/v1/", cases.router)
api.add_router("/v1/", steering.router)
api.add_router("/v1/", interchange.router)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413, and where large tables go instead."""
    text = _("The body is too large: send the tables as files to /api/v1/interchange/import-files.")
    return api.create_response(request, {"detail": text}, status=413)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/: 404 in JSON, as the API's own errors, not the HTML page."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
