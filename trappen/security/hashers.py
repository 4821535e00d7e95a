"""Password hashing with the parameters of the OWASP Password Storage Cheat Sheet.

The cheat sheet: "Use Argon2id with a minimum configuration of 19 MiB of memory, an iteration
count of 2, and 1 degree of parallelism." Django's defaults (100 MiB, 2 passes, 8 lanes) cost
about 0.6 CPU-seconds and 100 MiB per login on the 2-core machine (F11); these cost a fraction
and keep the margin OWASP asks for. The algorithm name stays `argon2`, so hashes made with
Django's defaults are read by this hasher, and `must_update()` (the parameters differ) makes
Django re-hash the password with these at the user's next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TrappenArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id (Django's type), m = 19 MiB, t = 2, p = 1."""

    memory_cost = 19 * 1024  # KiB: 19,456
    time_cost = 2
    parallelism = 1
