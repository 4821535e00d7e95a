"""A real load test: `trappen benchmark load` (docs/benchmarks.md).

Builds Demo Kommune in a fresh PostgreSQL test database, starts `trappen serve` on a loopback
port, and runs locust headless (benchmarks/locustfile.py) with 10, 25 and 50 concurrent users —
caseworkers and team leaders logging in and opening their pages with 1-3 s think time, one
analyst on the steering — then prints requests/s, p50/p95/p99 per page and errors. Asserts
nothing; the targets are in docs/benchmarks.md. Also runs the same users without the analyst,
to show what the steering costs the caseworkers.
"""

import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TextIO

from django.db import connection, transaction

from trappen.demo import generator
from trappen.organisation.models import Profession, User

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
USERS = (10, 25, 50)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("trappen serve stopped before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("trappen serve was not ready in time")


def _locust(port: int, users: int, seconds: int, env: dict[str, str], prefix: str,
            analyst: bool) -> list[dict[str, str]]:  # fmt: skip
    locust = Path(sys.executable).with_name("locust")
    classes = ["Caseworker", "TeamLeader", *(["Analyst"] if analyst else [])]
    subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [
            str(locust), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
            "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s",
            "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--stop-timeout", "5",
            *classes,
        ],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def _report(rows: list[dict[str, str]], out: TextIO) -> None:
    out.write(
        f"  {'page':<18} {'req':>6} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}\n"
    )
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        out.write(
            f"  {name:<18} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):>6.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}\n"
        )


def run(*, children: int, requests: int, seed: int, out: TextIO, seconds: int = 60) -> None:
    if connection.vendor != "postgresql":
        out.write("The load test needs PostgreSQL: set DATABASE_URL.\n")
        return
    out.write(f"Generating Demo Kommune with {children} children …\n")
    with transaction.atomic():
        generator.build(children=children, seed=seed)
    names = lambda p: ",".join(  # noqa: E731
        User.objects.filter(profession=p, is_active=True).values_list("username", flat=True)
    )
    db = connection.settings_dict
    port = _free_port()
    work = Path(tempfile.mkdtemp(prefix="trappen-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TRAPPEN_AUDIT_KEY": os.environ.get("TRAPPEN_AUDIT_KEY", "load-test-key"),
        "TRAPPEN_VAR_DIR": str(work),
        "TRAPPEN_WORKERS": os.environ.get("TRAPPEN_WORKERS", "4"),
        "TRAPPEN_LOAD_PASSWORD": generator.PASSWORD,
        "TRAPPEN_LOAD_CASEWORKERS": names(Profession.CASEWORKER),
        "TRAPPEN_LOAD_LEADERS": names(Profession.TEAM_LEADER),
        "TRAPPEN_LOAD_ANALYST": names(Profession.ANALYST),
    }
    env.pop("TRAPPEN_DEBUG", None)
    trappen = Path(sys.executable).with_name("trappen")
    server = subprocess.Popen(  # noqa: S603
        [str(trappen), "serve", "--bind", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_ready(port, server)
        out.write(
            f"trappen serve: {env['TRAPPEN_WORKERS']} workers on 127.0.0.1:{port}; "
            f"{seconds} s per run, think time 1-3 s (ms below)\n"
        )
        for users in USERS:
            for analyst in (True, False):
                who = "with the analyst" if analyst else "without the analyst"
                out.write(f"{users} users, {who}:\n")
                rows = _locust(port, users, seconds, env, str(work / f"u{users}{analyst}"), analyst)
                _report(rows, out)
                login = next((r for r in rows if r["Name"] == "login"), None)
                if login:  # Argon2 at OWASP's parameters (docs/security.md)
                    out.write(f"  login p95 {login['95%']} ms ({login['Request Count']} logins)\n")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
