"""`trappen benchmark NAME`: run a benchmark on a fresh test database and print its figures."""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from benchmarks import evaluate, followups, load, pages, simulate
from trappen.demo import generator

# One entry per benchmark: its name and its run(*, children, requests, seed, out) function.
# A run function may also take `episodes` and `sample`; it is given them when it does.
BENCHMARKS: dict[str, Callable[..., None]] = {
    "pages": pages.run,
    "followups": followups.run,
    "evaluate": evaluate.run,
    "load": load.run,
    "simulate": simulate.run,
}
# Benchmarks that need no database (pure computation): no test database is created for them.
WITHOUT_DATABASE = frozenset({"followups", "evaluate", "simulate"})


@contextmanager
def fresh_database() -> Iterator[None]:
    """A new, migrated test database on the configured server, destroyed afterwards.

    It has a name of its own (`test_<name>_benchmark`, or var/benchmark.sqlite3 for SQLite),
    so a benchmark never clobbers the test database of a test run going on at the same time.
    DEBUG is off, as in production, so queries are not recorded.
    """
    setup_test_environment(debug=False)
    test_settings = connection.settings_dict["TEST"]
    old_name, old_test_name = connection.settings_dict["NAME"], test_settings.get("NAME")
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(settings.VAR_DIR / "benchmark.sqlite3")
    else:
        test_settings["NAME"] = f"test_{old_name}_benchmark"
    try:
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
        try:
            yield
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    finally:
        test_settings["NAME"] = old_test_name
        teardown_test_environment()


class Command(BaseCommand):
    help = (
        "Run a benchmark on a new test database on the configured database server "
        "(the database in use is not touched) and print the timings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="Which benchmark to run.")
        parser.add_argument(
            "--children", type=int, default=10_000, help="Size of the generated municipality."
        )
        parser.add_argument("--requests", type=int, default=30, help="Requests per page.")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED)
        parser.add_argument(
            "--episodes",
            type=int,
            help="followups: active episodes (default 100,000); evaluate: episodes "
            "(default 1,000,000, for a tenth as many children).",
        )
        parser.add_argument(
            "--seconds", type=int, help="load: seconds per run of locust (default 60)."
        )
        parser.add_argument(
            "--sample",
            type=int,
            help="followups: episodes timed with the per-episode engine (default 2,000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        run = BENCHMARKS[name]
        accepted = inspect.signature(run).parameters
        extra = {
            key: options[key]
            for key in ("episodes", "sample", "seconds")
            if options.get(key) is not None and key in accepted
        }
        kwargs = dict(
            children=options["children"],
            requests=options["requests"],
            seed=options["seed"],
            out=self.stdout,
            **extra,
        )
        if name in WITHOUT_DATABASE:
            self.stdout.write(f"Benchmark {name} (no database):")
            run(**kwargs)
            return
        self.stdout.write(f"Benchmark {name}: creating a test database …")
        with fresh_database():
            run(**kwargs)
