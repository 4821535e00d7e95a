"""`trappen serve [--bind HOST:PORT]`: the production server (gunicorn) for trappen.wsgi.

Workers and threads come from TRAPPEN_WORKERS and TRAPPEN_THREADS; static files are served by
whitenoise from the same process; the access log is JSON lines on standard output without query
strings, CPR numbers or feed tokens (docs/deploy.md).
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def server_options(bind: str) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    return {
        "bind": bind,
        "workers": int(os.environ.get("TRAPPEN_WORKERS", str(2 * cores))),
        "threads": int(os.environ.get("TRAPPEN_THREADS", "4")),
        "worker_class": "gthread",
        "timeout": int(os.environ.get("TRAPPEN_TIMEOUT", "60")),
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle workers now and then, so slow leaks never grow for weeks.
        "max_requests": int(os.environ.get("TRAPPEN_MAX_REQUESTS", "5000")),
        "max_requests_jitter": 500,
        "accesslog": "-",
        "errorlog": "-",
        "logger_class": "trappen.operations.gunicorn_logging.StructuredLogger",
        "forwarded_allow_ips": os.environ.get("TRAPPEN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "proc_name": "trappen",
    }


class Command(BaseCommand):
    help = "Serve trappen with gunicorn, the production server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("TRAPPEN_BIND", "127.0.0.1:8000"),
            help="HOST:PORT to listen on (default 127.0.0.1:8000, or TRAPPEN_BIND)",
        )

    def handle(self, *args: Any, bind: str, **options: Any) -> None:
        from django.core.exceptions import ImproperlyConfigured
        from gunicorn.app.base import BaseApplication

        from trappen.audit.keys import require_production_key

        try:
            require_production_key()  # before any worker starts: one clear message, exit 1
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in server_options(bind).items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                from trappen.wsgi import application

                return application

        Server().run()
