"""The `trappen` console command: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trappen.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trappen", *sys.argv[1:]])
