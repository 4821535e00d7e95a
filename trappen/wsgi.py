"""The production entry point (gunicorn). It refuses to start without the secrets that must
live outside the database (docs/audit.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trappen.settings")
application = get_wsgi_application()

from trappen.audit.keys import require_production_key  # noqa: E402 - needs settings loaded

require_production_key()

from trappen.operations.warmup import load_and_freeze  # noqa: E402 - after the app is loaded

load_and_freeze()  # every view imported, then out of the garbage collector's full passes
