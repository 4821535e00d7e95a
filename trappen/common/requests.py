"""The request type of a view behind `login_required`, for the type checker.

`HttpRequest.user` is `User | AnonymousUser`; past `login_required` (or the policy's checks
that require a login) it is always a `User`. Views that pass `request.user` on to a service
annotate their request as `AuthenticatedRequest`, as django-stubs recommends.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from trappen.organisation.models import User


class AuthenticatedRequest(HttpRequest):
    user: "User"
    htmx: "HtmxDetails"  # set by django_htmx's middleware on every request
