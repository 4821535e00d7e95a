"""The `trappen` console command: Django's management commands under the product's name."""

import os
import sys

DEV_COMMANDS = ("demo", "benchmark")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trappen.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and args[0] in DEV_COMMANDS and not settings.DEV_TOOLS:
        sys.exit(
            f"trappen {args[0]} is a development tool and is not installed here: "
            "set TRAPPEN_DEV_TOOLS=1 (or TRAPPEN_DEBUG=1 for the local demo) to use it."
        )
    execute_from_command_line(["trappen", *args])
