"""Back up a PostgreSQL database, drop it, restore it, and check that nothing was lost.

Usage: python scripts/backup_restore_check.py postgres://user@host:port/name [--keep-dump FILE]

The procedure docs/security.md describes, run end to end: count the rows of every table,
`pg_dump --format=custom`, `dropdb`, `createdb`, `pg_restore`, count again, and compare the
two counts table by table (and the audit chain's head, when there is one). Exit status 0 when
every count matches, 1 otherwise. Needs the PostgreSQL client programs on PATH.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = conn.execute(query).fetchone()
            counts[table] = int(row[0]) if row else 0
        return counts


def _client_args(url: str) -> tuple[list[str], str]:
    parts = urlsplit(url)
    args = ["--host", parts.hostname or "127.0.0.1", "--port", str(parts.port or 5432)]
    if parts.username:
        args += ["--username", parts.username]
    return args, parts.path.lstrip("/")


def _run(command: list[str], url: str) -> None:
    env = dict(os.environ)
    password = urlsplit(url).password
    if password:
        env["PGPASSWORD"] = password
    subprocess.run(command, check=True, env=env)  # noqa: S603 - our own fixed client programs


def backup_and_restore(url: str, dump: Path) -> None:
    client, name = _client_args(url)
    print(f"pg_dump {name} -> {dump}")
    _run(["pg_dump", *client, "--format=custom", "--file", str(dump), name], url)
    print(f"dropdb {name}")
    _run(["dropdb", *client, name], url)
    print(f"createdb {name}")
    _run(["createdb", *client, name], url)
    print(f"pg_restore {dump} -> {name}")
    _run(["pg_restore", *client, "--no-owner", "--exit-on-error", "--dbname", name, str(dump)], url)


def compare(before: dict[str, int], after: dict[str, int]) -> list[str]:
    problems = []
    for table in sorted(set(before) | set(after)):
        if before.get(table) != after.get(table):
            problems.append(f"{table}: {before.get(table)} rows before, {after.get(table)} after")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="postgres://user@host:port/name of the database to test")
    parser.add_argument("--keep-dump", type=Path, help="keep the dump in this file")
    args = parser.parse_args(argv)
    before = row_counts(args.url)
    print(f"{len(before)} tables, {sum(before.values())} rows")
    with tempfile.TemporaryDirectory() as tmp:
        dump = args.keep_dump or Path(tmp) / "backup.dump"
        backup_and_restore(args.url, dump)
    after = row_counts(args.url)
    problems = compare(before, after)
    for problem in problems:
        print(problem)
    if problems:
        print(f"FAILED: {len(problems)} tables differ after the restore")
        return 1
    print(f"OK: {len(after)} tables, {sum(after.values())} rows, the same before and after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
