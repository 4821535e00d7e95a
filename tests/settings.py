"""The test run's settings: the product's, with the development tools (`trappen demo`,
`trappen benchmark`) installed. Subprocesses the tests start inherit both the switch and
DJANGO_SETTINGS_MODULE=tests.settings, so the repository goes on their PYTHONPATH too."""

import os
from pathlib import Path

os.environ["TRAPPEN_DEV_TOOLS"] = "1"
_ROOT = str(Path(__file__).resolve().parents[1])
_PATH = os.environ.get("PYTHONPATH", "")
if _ROOT not in _PATH.split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, _PATH) if p)

from trappen.settings import *  # noqa: E402, F403
