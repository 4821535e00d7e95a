"""Lockout: repeated failed logins for a username block it for a while, for everyone alike."""

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from tests.conftest import PASSWORD
from trappen.security.forms import LockoutAuthenticationForm
from trappen.security.models import LoginThrottle

LIMIT = settings.TRAPPEN_LOGIN_MAX_FAILURES


def attempt(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lock_message() -> str:
    minutes = int(settings.TRAPPEN_LOGIN_LOCKOUT.total_seconds() // 60)
    return gettext(str(LockoutAuthenticationForm.error_messages["locked"])) % {"minutes": minutes}


def errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def test_the_attempt_after_the_limit_fails_even_with_the_right_password(org, clock):
    client = Client()
    for _ in range(LIMIT - 1):
        response = attempt(client, "anna", "wrong")
        assert response.status_code == 200 and lock_message() not in errors(response)
    response = attempt(client, "anna", "wrong")
    assert errors(response) == [lock_message()]

    response = attempt(client, "anna", PASSWORD)
    assert response.status_code == 200
    assert not logged_in(client)
    assert errors(response) == [lock_message()]


def test_the_message_does_not_reveal_whether_the_username_exists(org, clock):
    real, ghost = Client(), Client()
    for _ in range(LIMIT):
        real_response = attempt(real, "anna", "wrong")
        ghost_response = attempt(ghost, "nobody-by-this-name", "wrong")
    assert errors(real_response) == errors(ghost_response) == [lock_message()]
    assert "anna" not in lock_message()


def test_it_unlocks_after_the_lockout_period(org, clock):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    clock.advance(settings.TRAPPEN_LOGIN_LOCKOUT - timedelta(seconds=1))
    attempt(client, "anna", PASSWORD)
    assert not logged_in(client)

    clock.advance(timedelta(seconds=2))
    response = attempt(client, "anna", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_failures_spread_beyond_the_window_do_not_lock(org, clock):
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


def test_one_locked_username_does_not_lock_another(org, clock):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    attempt(client, "bent", PASSWORD)
    assert logged_in(client)


def test_the_lock_is_kept_in_the_database_without_the_username(org, clock):
    for _ in range(LIMIT):
        attempt(Client(), "anna", "wrong")
    throttle = LoginThrottle.objects.get()
    assert throttle.locked_until is not None
    assert "anna" not in throttle.key


def test_an_administrator_can_unlock_a_username_early(org, clock):
    from django.core.management import call_command

    client = Client()
    for _ in range(LIMIT):
        attempt(client, "anna", "wrong")
    call_command("unlock", "anna", stdout=StringIO())
    attempt(client, "anna", PASSWORD)
    assert logged_in(client)
