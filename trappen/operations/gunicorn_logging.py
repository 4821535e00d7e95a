"""The production server's access log: one JSON object a line, the path without its query
string (queries can carry search terms), no CPR number and no calendar-feed token (the record
factory masks both: trappen/security/logging.py, trappen/followups/logging.py)."""

import json
from typing import Any

from gunicorn.glogging import Logger


def _number(value: Any) -> int:
    return int(value) if str(value).isdigit() else 0


class StructuredLogger(Logger):
    """gunicorn's logger writing each request as JSON instead of Apache's format."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "remote": atoms.get("h", "-"),
            "method": atoms.get("m", "-"),
            "path": atoms.get("U", "-"),  # without the query string
            "status": _number(atoms.get("s")),
            "bytes": _number(atoms.get("B")),
            "ms": _number(atoms.get("M")),
            "agent": atoms.get("a", "-"),
        }
        self.access_log.info(json.dumps(line, ensure_ascii=False))
