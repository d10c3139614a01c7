"""One LISTEN connection that survives the server killing it.

The ``jobs`` triggers NOTIFY ``rbsync_jobs`` when a statement leaves a job pending. Notifications sent
while this connection is down are lost for good, so every (re)connect also counts as a notification:
the worker then looks at the table itself. A periodic ping catches a connection that died silently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg

from daemon.db.database import CONNECTION_ERRORS, Database
from daemon.logs.setup import get_logger

CHANNEL = "rbsync_jobs"
RECONNECT_MIN_S = 0.1
RECONNECT_MAX_S = 10.0


class JobListener:
    def __init__(self, database: Database, on_notify: Callable[[], None], *, ping_interval_s: float = 30.0) -> None:
        self._database = database
        self._on_notify = on_notify
        self._ping_interval_s = ping_interval_s
        self._task: asyncio.Task | None = None
        self._first_attempt = asyncio.Event()
        self._log = get_logger()

    async def start(self) -> None:
        """Returns once the first connection attempt is over; failures are retried in the background."""
        self._task = asyncio.create_task(self._run(), name="job-listener")
        await self._first_attempt.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        pause = RECONNECT_MIN_S
        while True:
            try:
                conn = await self._database.connect_single()
            except Exception as exc:  # noqa: BLE001 - an outage or a config problem: keep trying, say why
                self._log.warning("queue.listen.connect_failed", error=repr(exc), retry_in_s=pause)
                self._first_attempt.set()
                await asyncio.sleep(pause)
                pause = min(pause * 2, RECONNECT_MAX_S)
                continue
            pause = RECONNECT_MIN_S
            try:
                await self._listen(conn)
            except CONNECTION_ERRORS as exc:
                self._log.warning("queue.listen.lost", error=repr(exc))
            except Exception:  # noqa: BLE001 - without this connection idle workers go deaf
                self._log.exception("queue.listen.error")
                await asyncio.sleep(RECONNECT_MAX_S)
            finally:
                conn.terminate()
                self._first_attempt.set()

    async def _listen(self, conn: asyncpg.Connection) -> None:
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(CHANNEL, lambda *_args: self._on_notify())
        self._first_attempt.set()
        self._on_notify()
        self._log.info("queue.listen.connected", pid=conn.get_server_pid())
        while not lost.is_set():
            try:
                await asyncio.wait_for(lost.wait(), self._ping_interval_s)
            except asyncio.TimeoutError:
                await conn.fetchval("SELECT 1", timeout=5)
        self._log.warning("queue.listen.lost", error="connection closed")
