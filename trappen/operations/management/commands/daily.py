"""`trappen daily`: the jobs a timer runs once a day (docs/deploy.md).

Each job is idempotent and prints one summary line; the command exits non-zero when a job
failed, after running the others, so the timer's failure reaches the operator.
"""

from collections.abc import Callable
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _audit() -> str:
    """Verify the audit log since the last checkpoint and anchor a new checkpoint."""
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[-1]


def _retention() -> str:
    """Report (not run) what retention would anonymise: running it stays a decision."""
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    lines = [line for line in out.getvalue().strip().splitlines() if line.strip()]
    verdict = [line for line in lines if "would be" in line]
    return (verdict or lines or ["nothing due"])[0]


def _digests() -> str:
    from trappen.operations.reminders import send_digests

    return f"{send_digests()} sent"


def _notices() -> str:
    from trappen.operations.deadlines import send_deadline_notices

    return f"{send_deadline_notices()} new"


def _steering() -> str:
    from trappen.operations.steering import warm

    return warm()


JOBS: dict[str, Callable[[], str]] = {
    "deadline notices": _notices,
    "audit": _audit,
    "retention (dry run)": _retention,
    "reminder digests": _digests,
    "steering cache": _steering,
}


class Command(BaseCommand):
    help = (
        "Run the daily jobs: deadline notices, audit verify and checkpoint, retention report, "
        "reminder digests, the steering's figures for the common periods."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--only", choices=sorted(JOBS), help="run one job")

    def handle(self, *args: Any, only: str | None = None, **options: Any) -> None:
        failed = []
        for name, job in JOBS.items():
            if only and name != only:
                continue
            try:
                self.stdout.write(f"{name}: {job()}")
            except Exception as error:  # noqa: BLE001 - report and go on with the others
                failed.append(name)
                self.stderr.write(f"{name}: FAILED: {error}")
        if failed:
            raise CommandError(f"daily jobs failed: {', '.join(failed)}", returncode=1)
        self.stdout.write(self.style.SUCCESS("daily: all jobs done"))
