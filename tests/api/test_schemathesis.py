"""schemathesis against the API's own OpenAPI document (F11 point 5): every operation with a
bounded number of generated requests, as a caseworker's system account of the test
municipality would send them, answers without a server error, with a documented status code
and a body that matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from trappen.api.models import Scope

from .conftest import episode_on, followup_on, token_for

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# Per operation; the whole file stays well under a minute on the 2-core machine.
EXAMPLES = 10


@pytest.fixture
def _keep_the_connection():
    """The WSGI app closes the database connection after each request, which would end the
    test's transaction on PostgreSQL; Django's own test client holds it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(org, _keep_the_connection):
    """A caseworker's token with every scope, and a case of hers with a measure followed up."""
    case = org.case(org.child("0101151234", org.d_north), org.cw1)
    followup_on(episode_on(org, case))
    return {"Authorization": f"Bearer {token_for(org.cw1, *Scope.values)}"}


# Loaded when the module is collected: the schema's page reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
