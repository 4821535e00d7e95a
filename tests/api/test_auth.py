"""Bearer tokens per system account: only the hash is kept, a session cookie is never enough,
and a revoked or expired token (or one of an inactive account) answers 401."""

import hashlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from trappen.api.models import ApiToken, Scope
from trappen.audit.models import AuditAction

from .conftest import Api, entries_since, last_pk, token_for

pytestmark = pytest.mark.django_db


def test_no_token_answers_401(org):
    response = Api(None).get("cases")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_an_unknown_token_answers_401(org):
    token_for(org.cw1, Scope.READ_CASES)
    assert Api("trappen_not-a-real-token").get("cases").status_code == 401
    assert Api("something-else").get("cases").status_code == 401


def test_a_logged_in_browser_session_is_not_accepted(org, world):
    """A session cookie never authenticates an API call (so no CSRF can ride on it)."""
    client = org.client(org.cw1)
    assert client.get("/api/v1/cases", HTTP_HOST="localhost").status_code == 401
    client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    client.force_login(org.cw1)
    response = client.post(
        "/api/v1/interchange/import",
        {"tables": {}, "dry_run": True},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_a_revoked_token_answers_401(org):
    token = token_for(org.cw1, Scope.READ_CASES)
    assert Api(token).get("cases").status_code == 200
    ApiToken.objects.get().revoke()
    assert Api(token).get("cases").status_code == 401


def test_an_expired_token_answers_401(org):
    token = token_for(org.cw1, Scope.READ_CASES, expires_at=timezone.now() + timedelta(hours=1))
    assert Api(token).get("cases").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Api(token).get("cases").status_code == 401


def test_a_token_of_a_deactivated_account_answers_401(org):
    token = token_for(org.cw1, Scope.READ_CASES)
    org.cw1.is_active = False
    org.cw1.save()
    assert Api(token).get("cases").status_code == 401


def test_only_the_hash_is_stored_and_last_use_is_kept(org):
    row, token = ApiToken.issue(org.cw1, "DUBU", [Scope.READ_CASES])
    assert token.startswith("trappen_")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert not any(token in value or token[8:] in value for value in stored)
    assert row.last_used_at is None
    Api(token).get("cases")
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_unknown_scopes_are_refused(org):
    with pytest.raises(ValueError, match="unknown scope"):
        ApiToken.issue(org.cw1, "x", ["read:everything"])


def test_the_command_shows_the_token_once_and_revokes_it(org, capsys):
    before = last_pk()
    call_command("api_token", "create", "anna", "--scope", "read:cases", "--name", "DUBU")
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.scopes) == (org.cw1, "DUBU", ["read:cases"])
    assert row.expires_at is not None
    assert Api(token).get("cases").status_code == 200
    call_command("api_token", "list")
    listing = capsys.readouterr().out
    assert "DUBU" in listing and token not in listing and "usable" in listing
    call_command("api_token", "revoke", str(row.pk))
    assert Api(token).get("cases").status_code == 401
    changes = [e.detail["change"] for e in entries_since(before, AuditAction.ACCOUNT)]
    assert changes == ["api_token_created", "api_token_revoked"]
    assert token not in str([e.detail for e in entries_since(before)])


def test_an_answer_sets_no_cookie_and_is_not_cached(org):
    response = Api(token_for(org.cw1, Scope.READ_CASES)).get("cases")
    assert response.status_code == 200
    assert not response.cookies  # no session is made for the token's account
    assert "no-store" in response["Cache-Control"]
