"""sd_notify over ``$NOTIFY_SOCKET`` with a plain datagram socket (no libsystemd dependency).

Outside systemd (no ``$NOTIFY_SOCKET``) every call is a no-op, so the daemon runs the same in a
terminal. The watchdog interval is half of ``$WATCHDOG_USEC`` as sd_watchdog_enabled(3) advises.
"""

from __future__ import annotations

import asyncio
import os
import socket
from typing import Mapping

import structlog

log = structlog.get_logger()  # lazy: follows configure_logging() done after import


class Notifier:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        address = environ.get("NOTIFY_SOCKET", "")
        self._address = "\0" + address[1:] if address.startswith("@") else address  # "@": abstract namespace
        self._socket: socket.socket | None = None
        if self._address:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._socket.setblocking(False)
        self.watchdog_interval_s = _watchdog_interval(environ)

    def notify(self, *assignments: str) -> None:
        if self._socket is None:
            return
        try:
            self._socket.sendto("\n".join(assignments).encode(), self._address)
        except OSError as exc:
            log.warning("systemd.notify_failed", reason=str(exc), message=assignments[0])

    def ready(self, status: str) -> None:
        self.notify("READY=1", f"STATUS={status}")

    def stopping(self, status: str) -> None:
        self.notify("STOPPING=1", f"STATUS={status}")

    def status(self, status: str) -> None:
        self.notify(f"STATUS={status}")

    async def watchdog(self) -> None:
        """Ping while the event loop is responsive; a stuck loop stops the pings and systemd restarts us."""
        if self._socket is None or self.watchdog_interval_s is None:
            return
        while True:
            self.notify("WATCHDOG=1")
            await asyncio.sleep(self.watchdog_interval_s)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _watchdog_interval(environ: Mapping[str, str]) -> float | None:
    usec = environ.get("WATCHDOG_USEC", "")
    pid = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2_000_000
