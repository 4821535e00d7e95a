from tests.security.conftest import Clock, clock  # noqa: F401 (the movable clock fixture)
