"""Password hashing: Argon2 for every new password; old PBKDF2 hashes still work and are
upgraded at the next login."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from trappen.organisation.models import User

pytestmark = pytest.mark.real_password_hashing


def test_new_passwords_are_hashed_with_argon2(org):
    user = User.objects.create_user(username="ny", password="et-nyt-langt-kodeord")
    assert user.password.startswith("argon2$")
    org.cw1.set_password("endnu-et-kodeord")
    org.cw1.save()
    org.cw1.refresh_from_db()
    assert org.cw1.password.startswith("argon2$")


def test_an_old_pbkdf2_hash_still_logs_in_and_is_upgraded(org):
    User.objects.filter(pk=org.cw1.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    response = Client().post(reverse("login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    org.cw1.refresh_from_db()
    assert org.cw1.password.startswith("argon2$")


def _params(encoded):
    from django.contrib.auth.hashers import identify_hasher

    decoded = identify_hasher(encoded).decode(encoded)
    return decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]


def test_new_passwords_use_owasps_argon2id_parameters(org):
    """OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane."""
    user = User.objects.create_user(username="ny", password="et-nyt-langt-kodeord")
    assert user.password.startswith("argon2$argon2id$")
    assert _params(user.password) == (19456, 2, 1)


def test_a_hash_with_djangos_argon2_defaults_is_upgraded_at_login(org):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert _params(old) == (102400, 2, 8)
    User.objects.filter(pk=org.cw1.pk).update(password=old)
    response = Client().post(reverse("login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302
    org.cw1.refresh_from_db()
    assert _params(org.cw1.password) == (19456, 2, 1)
    assert org.cw1.check_password(PASSWORD)
