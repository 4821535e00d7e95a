"""Exit 0 when a TCP server answers on HOST PORT (used by `make test` to find PostgreSQL)."""

import socket
import sys


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    try:
        with socket.create_connection((host, port), timeout=1):
            return 0
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
