"""`trappen cadence`: the due dates of one hypothetical episode, to explain the rules to staff."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trappen.catalogue.models import CadenceCategory
from trappen.core.cadence import plan

from ...models import CadenceRuleSet
from ...schedule import Rules


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date like 2025-01-06") from None


class Command(BaseCommand):
    help = "Print the follow-up due dates of one hypothetical episode under a rule set."

    def add_arguments(self, parser: CommandParser) -> None:
        categories = [c for c in CadenceCategory.values if c != CadenceCategory.NONE]
        parser.add_argument("--category", required=True, choices=categories)
        parser.add_argument("--start", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--until", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument(
            "--rules",
            help="Rule set key (e.g. herning-2015, sel-70-2015, barnets-lov-2024); "
            "default: the model's and the law's in force on the start date.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **opts: Any) -> None:
        start, until = opts["start"], opts["until"]
        if until < start:
            raise CommandError("--until is before --start")
        rules = Rules.load()
        if opts["rules"]:
            chosen = rules.by_key(opts["rules"])
            if chosen is None:
                keys = ", ".join(s.key for s in rules.rule_sets)
                raise CommandError(f"unknown rule set {opts['rules']!r}; known: {keys}")
            rule_sets = [chosen]
        else:
            rule_sets = [
                s
                for kind in (CadenceRuleSet.Kind.MODEL, CadenceRuleSet.Kind.LEGAL)
                if (s := rules.in_force(kind, start)) is not None
            ]
        result = []
        for rule_set in rule_sets:
            schedule = rules.schedule(rule_set, opts["category"])
            dues = plan(schedule, start, [], today=start, horizon=until).dues if schedule else ()
            result.append(
                {
                    "rules": rule_set.key,
                    "name": rule_set.name,
                    "kind": rule_set.kind,
                    "source": rule_set.source,
                    "category": opts["category"],
                    "start": start.isoformat(),
                    "until": until.isoformat(),
                    "due": [{"date": d.due.isoformat(), "kind": d.kind.value} for d in dues],
                }
            )
        if opts["json"]:
            self.stdout.write(
                json.dumps(result if len(result) > 1 else result[0], indent=2, ensure_ascii=False)
            )
            return
        for item in result:
            self.stdout.write(f"{item['name']} ({item['rules']}) — {item['source']}")
            for due in item["due"]:
                marker = "  status" if due["kind"] == "status" else ""
                self.stdout.write(f"  {due['date']}{marker}")
            if not item["due"]:
                self.stdout.write("  (no follow-ups in the period)")
