"""Backup and restore of PostgreSQL (docs/security.md): dump, drop, restore, same row counts.

Runs in the PostgreSQL pass of `make test` (DATABASE_URL set): it builds the demo
municipality in a scratch database of the same server, then runs
scripts/backup_restore_check.py on it as an operator would.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup_restore_check.py"
sys.path.insert(0, str(SCRIPT.parent))
import backup_restore_check  # noqa: E402

URL = os.environ.get("DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not URL.startswith("postgres"), reason="needs a PostgreSQL server (DATABASE_URL)"
)


def _url_for(name: str) -> str:
    parts = urlsplit(URL)
    return urlunsplit(parts._replace(path="/" + name))


def _oid(admin_url: str, name: str) -> int | None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT oid FROM pg_database WHERE datname = %s", [name]).fetchone()
        return int(row[0]) if row else None


@pytest.fixture
def demo_database():
    name = f"trappen_backupcheck_{os.getpid()}"
    admin = _url_for("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _url_for(name)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "trappen.settings"}
    cli = [sys.executable, "-c", "from trappen.cli import main; main()"]
    subprocess.run([*cli, "migrate", "--no-input", "-v", "0"], check=True, env=env)  # noqa: S603
    demo = [*cli, "demo", "--no-history", "--yes"]
    subprocess.run(demo, check=True, env=env, capture_output=True)  # noqa: S603
    yield url, name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@needs_postgres
def test_demo_database_survives_dump_drop_and_restore(demo_database, capsys):
    url, name = demo_database
    admin = _url_for("postgres")
    before = backup_restore_check.row_counts(url)
    assert before["cases_case"] > 0 and before["organisation_user"] > 0
    oid_before = _oid(admin, name)

    assert backup_restore_check.main([url]) == 0

    assert "OK:" in capsys.readouterr().out
    # The database really was dropped and created again, and holds the same rows.
    assert _oid(admin, name) != oid_before
    assert backup_restore_check.row_counts(url) == before


def test_a_lost_row_is_reported_by_table():
    problems = backup_restore_check.compare({"cases_case": 3, "a": 1}, {"cases_case": 2, "a": 1})
    assert problems == ["cases_case: 3 rows before, 2 after"]
    assert backup_restore_check.compare({"a": 1}, {}) == ["a: 1 rows before, None after"]
