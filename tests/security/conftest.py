"""A clock the tests can move: lockout and idle timeout read django.utils.timezone.now()."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.utils import timezone


class Clock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", fake)
    yield fake
