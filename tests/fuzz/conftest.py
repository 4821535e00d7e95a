import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Each test builds a municipality with seven users; Argon2 would spend seconds on their
    # passwords, and the fuzz tests log in with force_login, never a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
