"""The daemon as the demo runs it: a real ``rackbeat-sync run`` child process sharing the terminal.

Its output goes straight to the demo's stdout/stderr, so the log on screen is the daemon's own (coloured
on a terminal). It runs in its own session so that Ctrl-C reaches only the demo, which then sends the
daemon exactly one SIGTERM: the daemon treats a second signal as "die now".
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import aiohttp

DATA_DIR_VARIABLE = "RACKBEAT_SYNC__DAEMON__DATA_DIR"
READY_POLL_S = 0.5
KILL_MARGIN_S = 15.0  # beyond the daemon's own shutdown grace, before SIGKILL


class DaemonProcess:
    def __init__(self, config_path: str, *, data_dir: str = "var") -> None:
        self.config_path = config_path
        self.env = {**os.environ}
        self.env.setdefault(DATA_DIR_VARIABLE, data_dir)
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "daemon", "run", "--config", self.config_path,
            stdin=asyncio.subprocess.DEVNULL,
            env=self.env,
            start_new_session=True,
        )  # fmt: skip

    async def wait_ready(self, health_url: str, timeout_s: float) -> bool:
        """Poll ``/healthz`` until it answers 200; False when the daemon exits or ``timeout_s`` passes."""
        assert self.process is not None
        deadline = asyncio.get_running_loop().time() + timeout_s
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while self.process.returncode is None and asyncio.get_running_loop().time() < deadline:
                try:
                    async with session.get(health_url) as response:
                        if response.status == 200:
                            return True
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(READY_POLL_S)
        return False

    async def wait(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    async def stop(self, grace_s: float) -> int:
        """SIGTERM once, then SIGKILL if the daemon has not finished ``grace_s`` + a margin later."""
        process = self.process
        if process is None:
            return 0
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), grace_s + KILL_MARGIN_S)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        return process.returncode
