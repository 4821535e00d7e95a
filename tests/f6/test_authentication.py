"""F6 point 5 and point 10: logging in holds under parallel attack, nobody can keep an account
locked, failed logins are summarised in the audit log, and pages with case data are not cached.

Each test is named after the finding it reproduces (issue F6); each failed on the code before
the fix."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.security.conftest import Clock
from trappen.audit.models import AuditAction, AuditEntry
from trappen.organisation.models import Profession, User

ATTACKER = "10.66.0.1"
OWNER = "10.1.0.7"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A clock the test moves (the throttle reads django.utils.timezone.now())."""
    fake = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", fake)
    return fake


def login(username: str, password: str, address: str = OWNER) -> User | None:
    request = RequestFactory().post(reverse("login"), REMOTE_ADDR=address)
    return authenticate(request, username=username, password=password)  # type: ignore[return-value]


def post_login(client: Client, username: str, password: str, address: str = OWNER):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def refused(response) -> bool:
    """The login page said "wait" rather than "wrong username or password"."""
    codes = [e.code for e in response.context["form"].errors.as_data().get("__all__", [])]
    return bool({"locked", "throttled"} & set(codes))


def failed_entries(before: int) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(sequence__gt=before, action=AuditAction.LOGIN_FAILED).order_by(
            "sequence"
        )
    )


def last_sequence() -> int:
    entry = AuditEntry.objects.order_by("-sequence").first()
    return entry.sequence if entry else 0


# --- 25 simultaneous attempts after 4 failures: the right password got in ---------------------

GUESSES = 25


def _guesses() -> list[str]:
    # The right password comes last: with the old check-then-record lockout every guess was
    # checked, so it got in.
    return [f"guess-{i}" for i in range(GUESSES - 1)] + [PASSWORD]


def test_parallel_attempts_after_four_failures_cannot_guess_the_password(org, clock, monkeypatch):
    """The serialized equivalent of 25 parallel requests (runs on SQLite too): while the first
    attempt's password is being checked, the 24 others arrive and run to the end."""
    for _ in range(settings.TRAPPEN_LOGIN_MAX_FAILURES - 1):
        assert login("anna", "wrong", ATTACKER) is None

    pending = _guesses()
    checked: list[str] = []
    results: list[User | None] = []
    original = User.check_password

    def check_while_the_others_arrive(self: User, raw_password: str) -> bool:
        checked.append(raw_password)
        while pending:  # every other attempt starts (and ends) before this check finishes
            results.append(login("anna", pending.pop(0), ATTACKER))
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", check_while_the_others_arrive)
    results.append(login("anna", pending.pop(0), ATTACKER))

    assert len(results) == GUESSES
    assert len(checked) == 1, f"{len(checked)} of {GUESSES} guesses were checked"
    assert not any(results), "the right password got in"


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_after_four_failures_cannot_guess_the_password_on_postgresql(
    monkeypatch,
):
    """25 threads, each with its own database connection, against the backend."""
    if connection.vendor != "postgresql":
        pytest.skip("real parallel requests need PostgreSQL (SQLite: the serialized test)")
    User.objects.create_user("anna", password=PASSWORD, profession=Profession.CASEWORKER)
    for _ in range(settings.TRAPPEN_LOGIN_MAX_FAILURES - 1):
        assert login("anna", "wrong", ATTACKER) is None

    lock = threading.Lock()
    arrived = {"checking": 0, "done": 0}
    everyone_there = threading.Event()
    checked: list[str] = []
    original = User.check_password

    def there(kind: str) -> None:
        with lock:
            arrived[kind] += 1
            if arrived["checking"] + arrived["done"] >= GUESSES:
                everyone_there.set()

    def slow_check(self: User, raw_password: str) -> bool:
        with lock:
            checked.append(raw_password)
        there("checking")
        # Hold every check until all attempts have been let through or refused: the widest
        # possible race. (The timeout only stops a broken run from hanging.)
        everyone_there.wait(timeout=30)
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", slow_check)
    start = threading.Barrier(GUESSES)
    results: list[User | None] = []

    def attempt(password: str) -> None:
        try:
            start.wait(timeout=30)
            user = login("anna", password, ATTACKER)
            with lock:
                results.append(user)
            if password not in checked:
                there("done")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in _guesses()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == GUESSES
    assert len(checked) == 1, f"{len(checked)} of {GUESSES} guesses were checked"
    assert sum(1 for user in results if user is not None) <= 1
    if any(results):  # only when the single checked guess was the right one
        assert checked == [PASSWORD]


# --- anyone could lock any account, again and again --------------------------------------------


def test_anyone_cannot_lock_an_account_indefinitely(org, clock: Clock):
    # Anna logged in from her own desk yesterday.
    assert login("anna", PASSWORD, OWNER) == org.cw1
    clock.advance(timedelta(days=1))

    # Someone elsewhere tries her username every half minute for three hours ...
    refused_just_now = False
    elapsed = timedelta()
    while elapsed < timedelta(hours=3) or not refused_just_now:
        attacker = Client()
        response = post_login(attacker, "anna", "guess", ATTACKER)
        refused_just_now = response.status_code == 200 and refused(response)
        clock.advance(timedelta(seconds=30))
        elapsed += timedelta(seconds=30)

    # ... and while the attack goes on, Anna still logs in from her desk.
    client = Client()
    response = post_login(client, "anna", PASSWORD, OWNER)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# --- an unauthenticated flood wrote one permanent audit row per attempt ------------------------


def test_failed_login_flood_writes_bounded_audit_rows(org, clock: Clock):
    before = last_sequence()
    for i in range(200):
        login("anna", f"guess-{i}", ATTACKER)
        login(f"nobody-{i}", "guess", ATTACKER)
        clock.advance(timedelta(milliseconds=250))
    cap = getattr(settings, "TRAPPEN_LOGIN_BACKOFF_CAP", timedelta(minutes=15))
    clock.advance(settings.TRAPPEN_LOGIN_FAILURE_WINDOW + cap)
    login("anna", PASSWORD, OWNER)  # the next login closes the windows that have ended

    entries = failed_entries(before)
    assert 1 <= len(entries) <= 8, f"{len(entries)} audit rows for 400 failed logins"
    # What the data protection officer needs is there: whose account, and how many attempts.
    anna = [e for e in entries if e.object_pk == str(org.cw1.pk)]
    assert anna and anna[0].detail["username"] == "anna"
    assert max(e.detail.get("failures", 0) for e in anna) >= settings.TRAPPEN_LOGIN_MAX_FAILURES


def test_failed_login_does_not_store_unknown_username(org):
    before = last_sequence()
    typed = ["Sommer2026!", "0101151234", "anna Sommer2026!"]
    for text in typed:
        response = post_login(Client(), text, "whatever")
        assert response.status_code == 200
    stored = " ".join(
        f"{e.detail} {e.object_pk} {e.actor_username}"
        for e in AuditEntry.objects.filter(sequence__gt=before)
    )
    for text in typed:
        assert text not in stored
    assert "Sommer2026" not in stored

    # A real account's name is kept: that is whose account someone tried.
    post_login(Client(), "anna", "wrong")
    (entry,) = [e for e in failed_entries(before) if e.object_pk == str(org.cw1.pk)]
    assert entry.detail["username"] == "anna"


# --- pages with case data could be kept by the browser or a proxy ------------------------------


def test_case_pages_are_not_cached(org):
    case = org.case()
    client = org.client(org.cw1)
    for url in (reverse("dashboards:my_home"), reverse("cases:case", args=[case.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response.get("Cache-Control", ""), url
    # htmx fragments with case data too.
    lookup = client.post(reverse("intake:lookup"), {"cpr": case.child.cpr}, HTTP_HX_REQUEST="true")
    assert "no-store" in lookup.get("Cache-Control", "")
