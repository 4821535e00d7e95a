"""The production server: `trappen serve` answers /healthz and /readyz and lets a user log in
(on PostgreSQL, on a loopback port); it refuses to start without the audit key."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trappen.operations import health
from trappen.organisation.models import Profession, User

PASSWORD = "correct-horse-battery"  # noqa: S105


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")


@pytest.mark.django_db
def test_readyz_says_ready_when_the_database_answers_and_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(health, "_database_answers", lambda alias: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_readyz_is_503_with_a_migration_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_ok_at", 0.0)
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    response = client.get("/readyz")
    assert (response.status_code, response.json()["migrations"]) == (503, "pending")


def test_serve_refuses_to_start_without_the_audit_key(settings):
    settings.DEBUG = False
    settings.TRAPPEN_AUDIT_KEY_SOURCE = "file"
    with pytest.raises(CommandError, match="TRAPPEN_AUDIT_KEY"):
        call_command("serve", bind="127.0.0.1:1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def _cookies(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return jar


@pytest.mark.real_password_hashing
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="serve runs against PostgreSQL")
def test_serve_on_postgresql_answers_readyz_and_a_user_logs_in(tmp_path: Path):
    User.objects.create_user(
        "karen", password=PASSWORD, profession=Profession.ANALYST, first_name="Karen"
    )
    db = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TRAPPEN_AUDIT_KEY": "a-key-for-this-test-only",
        "TRAPPEN_VAR_DIR": str(tmp_path),
        "TRAPPEN_WORKERS": "1",
        "TRAPPEN_THREADS": "2",
    }
    env.pop("TRAPPEN_DEBUG", None)
    trappen = Path(sys.executable).with_name("trappen")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(trappen), "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response, body = _get(port, "/readyz")
                if response.status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            assert time.monotonic() < deadline, "trappen serve did not become ready"
            time.sleep(0.3)
        assert b'"ready": true' in body

        https = {"X-Forwarded-Proto": "https"}  # as behind the TLS-terminating proxy
        response, page = _get(port, "/login/", https)
        assert response.status == 200
        jar = _cookies(response)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None and "csrftoken" in jar
        form = f"username=karen&password={PASSWORD}&csrfmiddlewaretoken={token.group(1).decode()}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "POST",
            "/login/",
            body=form,
            headers={
                **https,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={jar['csrftoken']}",
                "Referer": f"https://127.0.0.1:{port}/login/",
            },
        )
        login = conn.getresponse()
        login.read()
        if login.status != 302:
            server.terminate()
            pytest.fail(server.communicate(timeout=30)[0].decode()[-3000:])
        session = _cookies(login)["sessionid"]
        response, home = _get(port, "/", {**https, "Cookie": f"sessionid={session}"})
        assert response.status in (200, 302)
        assert b"Karen" in home or response.status == 302
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    # The access log is JSON lines, without the query string.
    assert '"path": "/readyz"' in output and '"status": 302' in output
