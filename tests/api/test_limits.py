"""The API's general limits: a JSON 404 for unknown addresses, and calls per token a minute."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from trappen.api import throttle
from trappen.api.models import ApiToken, Scope
from trappen.audit.models import AuditEntry

from .conftest import Api, token_for


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v1/", "/api/v1/nothing-here", "/api/v2/cases/", "/api/v1/cases/x/y/"]
)
def test_an_unknown_api_address_answers_404_in_json(org, path):
    for headers in ({}, {"Authorization": f"Bearer {token_for(org.cw1, Scope.READ_CASES)}"}):
        response = Api(None).client.get(path, headers=headers)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) == {"detail"}


def test_a_known_address_is_still_answered(org, api_for):
    assert api_for(org.cw1, Scope.READ_CASES).get("cases").status_code == 200


def _at(monkeypatch, moment):
    monkeypatch.setattr(throttle.timezone, "now", lambda: moment)


def test_calls_over_the_limit_a_minute_answer_429_with_retry_after(org, settings, monkeypatch):
    settings.TRAPPEN_API_CALLS_PER_MINUTE = 3
    token = token_for(org.cw1, Scope.READ_CASES)
    api, other = Api(token), Api(token_for(org.cw1, Scope.READ_CASES))
    minute = datetime(2026, 12, 2, 9, 15, tzinfo=timezone.get_current_timezone())
    _at(monkeypatch, minute + timedelta(seconds=40))
    assert [api.get("cases").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("cases")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "20"  # the seconds to the next minute
    assert set(refused.json()) == {"detail"}
    assert api.get("cases").status_code == 429
    assert other.get("cases").status_code == 200  # per token
    _at(monkeypatch, minute + timedelta(minutes=1, seconds=1))
    assert api.get("cases").status_code == 200  # a new minute


def test_the_first_refusal_of_a_minute_is_audited_without_the_token(
    org, settings, monkeypatch, caplog
):
    settings.TRAPPEN_API_CALLS_PER_MINUTE = 1
    token = token_for(org.cw1, Scope.READ_CASES)
    row = ApiToken.objects.get(user=org.cw1)
    api = Api(token)
    _at(monkeypatch, datetime(2026, 12, 2, 9, 15, 5, tzinfo=timezone.get_current_timezone()))
    before = AuditEntry.objects.count()
    api.get("cases")
    with caplog.at_level("WARNING", logger="trappen.api"):
        assert [api.get("cases").status_code for _ in range(3)] == [429, 429, 429]
    refusals = AuditEntry.objects.filter(detail__refused="rate limit")
    assert refusals.count() == 1
    entry = refusals.get()
    assert entry.actor == org.cw1 and entry.detail["api_token"] == row.pk
    assert token not in str(entry.detail) and token not in caplog.text
    assert f"API token {row.pk} " in caplog.text
    assert AuditEntry.objects.count() > before


def test_old_minutes_of_a_token_are_removed(org, monkeypatch):
    from trappen.security.models import LookupCounter

    row = ApiToken.issue(org.cw1, "system", [Scope.READ_CASES])[0]
    start = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    for minutes in (0, 30, 90):
        throttle.count_call(row, start + timedelta(minutes=minutes))
    kept = LookupCounter.objects.filter(key=f"api-token:{row.pk}")
    # 10:30 starts a minute: 09:00 is older than an hour before it and goes.
    assert sorted(c.window_start for c in kept) == [
        start + timedelta(minutes=30),
        start + timedelta(minutes=90),
    ]


def test_every_operation_documents_the_429_of_its_rate_limit(org):
    """F11: the limit applies to every call, so the OpenAPI document says so on every one
    (a client generated from it handles the 429 and its Retry-After)."""
    schema = Api(None).client.get("/api/schema/").json()
    operations = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    assert operations
    assert not [(p, m) for p, m, op in operations if "429" not in op["responses"]]
