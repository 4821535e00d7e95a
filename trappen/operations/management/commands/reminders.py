"""`trappen reminders [--digest] [--alerts]`: send the e-mail reminders users opted in to.

`--digest` once a day (from `trappen daily`), `--alerts` every half hour from a timer; each
e-mail is sent at most once, so running either again sends nothing new (docs/reminders.md).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trappen.operations.reminders import send_assessment_alerts, send_digests


class Command(BaseCommand):
    help = "Send the reminders by e-mail: the daily digest and the 24-hour assessment alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--digest", action="store_true", help="the daily digests")
        parser.add_argument("--alerts", action="store_true", help="the assessment alerts")

    def handle(self, *args: Any, digest: bool, alerts: bool, **options: Any) -> None:
        if not (digest or alerts):
            digest = alerts = True
        if digest:
            self.stdout.write(f"digests sent: {send_digests()}")
        if alerts:
            self.stdout.write(f"assessment alerts sent: {send_assessment_alerts()}")
