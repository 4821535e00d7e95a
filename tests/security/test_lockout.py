"""Login throttling: repeated failed logins pause log-in for a username from an address, with a
back-off that doubles up to a cap, for unknown usernames alike (trappen/security/lockout.py)."""

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from trappen.security import lockout
from trappen.security.models import LoginThrottle

LIMIT = settings.TRAPPEN_LOGIN_MAX_FAILURES
BASE = settings.TRAPPEN_LOGIN_BACKOFF_BASE
CAP = settings.TRAPPEN_LOGIN_BACKOFF_CAP


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def paused(response) -> bool:
    codes = [e.code for e in response.context["form"].errors.as_data().get("__all__", [])]
    return codes == ["throttled"]


def test_the_attempt_after_the_limit_fails_even_with_the_right_password(org, clock):
    client = Client()
    for _ in range(LIMIT - 1):
        response = attempt(client, "anna", "wrong")
        assert response.status_code == 200 and not paused(response)
    response = attempt(client, "anna", "wrong")
    assert paused(response)

    response = attempt(client, "anna", PASSWORD)
    assert response.status_code == 200
    assert not logged_in(client)
    assert paused(response)


def test_the_message_does_not_reveal_whether_the_username_exists(org, clock):
    real, ghost = Client(), Client()
    for _ in range(LIMIT):
        real_response = attempt(real, "anna", "wrong")
        ghost_response = attempt(ghost, "nobody-by-this-name", "wrong")
    assert paused(real_response) and paused(ghost_response)
    assert real_response.context["form"].non_field_errors() == (
        ghost_response.context["form"].non_field_errors()
    )
    assert "anna" not in str(real_response.context["form"].non_field_errors())


def test_the_back_off_doubles_and_is_capped(org, clock):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    waits = []
    for _ in range(14):
        wait = lockout.waiting("anna", "10.0.0.1")
        waits.append(wait)
        clock.advance(wait)
        attempt(client, "anna", "wrong")
    assert waits[:3] == [BASE, 2 * BASE, 4 * BASE]
    assert max(waits) == CAP
    # Attempts during the back-off neither count nor extend it.
    before = lockout.waiting("anna", "10.0.0.1")
    attempt(client, "anna", "wrong")
    assert lockout.waiting("anna", "10.0.0.1") == before


def test_it_lets_the_right_password_in_after_the_back_off(org, clock):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    clock.advance(BASE - timedelta(milliseconds=1))
    attempt(client, "anna", PASSWORD)
    assert not logged_in(client)

    clock.advance(timedelta(milliseconds=2))
    response = attempt(client, "anna", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_failures_spread_beyond_the_window_do_not_pause(org, clock):
    client = Client()
    for _ in range(LIMIT - 1):
        attempt(client, "anna", "wrong")
    clock.advance(settings.TRAPPEN_LOGIN_FAILURE_WINDOW + timedelta(seconds=1))
    attempt(client, "anna", "wrong")
    attempt(client, "anna", PASSWORD)
    assert logged_in(client)


def test_a_successful_login_clears_the_count(org, clock):
    client = Client()
    for _ in range(LIMIT - 1):
        attempt(client, "anna", "wrong")
    attempt(client, "anna", PASSWORD)
    assert logged_in(client)
    other = Client()
    for _ in range(LIMIT - 1):
        attempt(other, "anna", "wrong")
    attempt(other, "anna", PASSWORD)
    assert logged_in(other)


def test_one_paused_username_does_not_pause_another(org, clock):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    attempt(client, "bent", PASSWORD)
    assert logged_in(client)


def test_another_address_is_not_paused_by_one_addresss_failures(org, clock):
    for _ in range(LIMIT):
        attempt(Client(), "anna", "wrong", "10.0.0.66")
    client = Client()
    attempt(client, "anna", PASSWORD, "10.0.0.7")
    assert logged_in(client)


def test_one_address_spraying_many_usernames_is_paused(org, clock):
    for i in range(settings.TRAPPEN_LOGIN_ADDRESS_MAX_FAILURES):
        attempt(Client(), f"user-{i}", "wrong", "10.0.0.66")
    response = attempt(Client(), "bent", PASSWORD, "10.0.0.66")
    assert paused(response)


def test_many_addresses_guessing_one_username_are_paused(org, clock):
    for i in range(settings.TRAPPEN_LOGIN_USERNAME_MAX_FAILURES):
        attempt(Client(), "anna", "wrong", f"10.0.1.{i + 1}")
    response = attempt(Client(), "anna", PASSWORD, "10.0.2.1")
    assert paused(response)


def test_the_throttle_is_kept_in_the_database_without_the_username(org, clock):
    for _ in range(LIMIT):
        attempt(Client(), "anna", "wrong")
    rows = list(LoginThrottle.objects.all())
    assert {r.kind for r in rows} == {"pair", "username", "address"}
    assert any(r.blocked_until is not None for r in rows)
    for row in rows:
        assert "anna" not in f"{row.key} {row.username_key}"


def test_the_client_address_comes_from_the_trusted_proxy_only(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert lockout.client_address(request) == "10.9.9.9"
    settings.TRAPPEN_LOGIN_TRUSTED_PROXIES = 1
    assert lockout.client_address(request) == "5.6.7.8"
    request = rf.get("/", REMOTE_ADDR="not an address")
    assert lockout.client_address(request) == ""


def test_an_administrator_can_unlock_a_username_early(org, clock):
    from django.core.management import call_command

    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    out = StringIO()
    call_command("unlock", "anna", stdout=out)
    assert "Unlocked" in out.getvalue()
    attempt(client, "anna", PASSWORD)
    assert logged_in(client)
