"""F7: the demo municipality and the benchmarks wipe and build databases, so a production
installation (no TRAPPEN_DEBUG, no TRAPPEN_DEV_TOOLS) does not have them."""

import os
import subprocess
import sys
from pathlib import Path

TRAPPEN = str(Path(sys.executable).with_name("trappen"))


def _run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TRAPPEN_DEBUG", "TRAPPEN_DEV_TOOLS")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return subprocess.run(  # noqa: S603 - our own command
        [TRAPPEN, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_has_no_demo_or_benchmark() -> None:
    for command in ("demo", "benchmark"):
        done = _run(command, "--help")
        assert done.returncode != 0
        assert "development tool" in done.stderr and "TRAPPEN_DEV_TOOLS=1" in done.stderr
    listing = _run("help").stdout
    assert "[demo]" not in listing and "benchmark" not in listing


def test_dev_tools_switch_installs_them() -> None:
    done = _run("benchmark", "--help", TRAPPEN_DEV_TOOLS="1")
    assert done.returncode == 0, done.stderr
    assert "pages" in done.stdout
    assert _run("demo", "--help", TRAPPEN_DEBUG="1").returncode == 0
