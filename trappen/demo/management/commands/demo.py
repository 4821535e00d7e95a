"""`trappen demo`: replace all data with the synthetic Demo Kommune (destructive)."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from trappen.cases.models import Case
from trappen.demo import generator


class Command(BaseCommand):
    help = (
        "Delete all case data, the organisation and every user, then build the synthetic "
        "Demo Kommune with three years of history. Refused unless DEBUG is on or --yes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children", type=int, default=generator.DEFAULT_CHILDREN, help="Number of children."
        )
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Leave out the 2012-2016 history calibrated to KORA's evaluation.",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="The port named in the closing line."
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that all existing data may be deleted (needed when DEBUG is off).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["yes"]):
            raise CommandError(
                "`demo` deletes ALL case data, the organisation and every user in the "
                f"database {settings.DATABASES['default']['NAME']!s}. It runs only with DEBUG "
                "on (TRAPPEN_DEBUG=1) or with --yes."
            )
        if options["children"] < 20:
            raise CommandError("Give at least 20 children.")
        started = time.perf_counter()
        self.stdout.write(f"Building Demo Kommune with {options['children']} children …")
        with transaction.atomic():
            generator.wipe(log=self.stdout.write)
            result = generator.build(
                children=options["children"],
                seed=options["seed"],
                log=self.stdout.write,
                history=not options["no_history"],
            )
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.\n")
        width = max(len(login.username) for login in result.logins)
        role_width = max(len(login.role) for login in result.logins)
        self.stdout.write(f"{'Username':<{width}}  {'Password':<9}  {'Role':<{role_width}}")
        self.stdout.write(f"{'-' * width}  {'-' * 9}  {'-' * role_width}")
        for login in result.logins:
            self.stdout.write(
                f"{login.username:<{width}}  {generator.PASSWORD:<9}  "
                f"{login.role:<{role_width}}  ({login.note})"
            )
        self.stdout.write(self.access_report_hint(result))
        self.stdout.write(f"\nOpen http://127.0.0.1:{options['port']} and log in.")

    def access_report_hint(self, result: generator.DemoResult) -> str:
        """One child's full CPR number, to try the access report (every demo CPR is fictitious)."""
        case = (
            Case.objects.filter(caseworker=result.caseworker, closed_on__isnull=True)
            .select_related("child")
            .order_by("pk")
            .first()
        )
        if case is None or not case.child.cpr:
            return ""
        cpr = f"{case.child.cpr[:6]}-{case.child.cpr[6:]}"
        return (
            f"\nTo try the access report, log in as databeskyttelse and look up {cpr} "
            f"({case.child.full_name}, a child of sagsbehandler; every demo CPR is fictitious)."
        )
