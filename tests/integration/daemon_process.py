"""A real ``rackbeat-sync run`` in a subprocess, with a fake systemd notify socket the test reads.

The daemon's log goes to a file, so a failing test can show it and the pipe never fills up.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
from pathlib import Path

from tests.integration.waiting import wait_until

RACKBEAT_SYNC = str(Path(sys.executable).with_name("rackbeat-sync"))


class NotifySocket:
    """What systemd would receive on ``$NOTIFY_SOCKET``: one list entry per datagram line."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="notify-", dir="/tmp")  # AF_UNIX paths are short
        self.path = os.path.join(self._dir.name, "notify")
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(self.path)
        self._socket.setblocking(False)
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            datagram = await loop.sock_recv(self._socket, 4096)
            self.lines.extend(datagram.decode().splitlines())

    async def wait_for(self, line: str, count: int = 1, timeout: float = 60.0) -> None:
        async def arrived() -> bool:
            return self.lines.count(line) >= count

        await wait_until(arrived, timeout)

    async def close(self) -> None:
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
        self._socket.close()
        self._dir.cleanup()


class DaemonProcess:
    def __init__(self, config_path: Path, log_path: Path, env: dict[str, str]) -> None:
        self.config_path = config_path
        self.log_path = log_path
        self._env = env
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                RACKBEAT_SYNC, "run", "--config", str(self.config_path), stdout=log, stderr=log, env=self._env
            )

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    async def exit_code(self, timeout: float = 60.0) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def kill(self) -> None:
        """Make sure nothing outlives the test."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


def daemon_env(**overrides: str) -> dict[str, str]:
    """The test's environment without anything that would reconfigure the daemon behind the test's back."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RACKBEAT_SYNC", "NOTIFY_", "WATCHDOG_"))}
    return {**env, **overrides}
