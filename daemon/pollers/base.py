"""One poller per (connection, stream): the polling fallback that catches what webhooks missed.

Each run reads the window ``[cursor, run start]`` and stores every item in the same inbox webhooks
use (source ``poll``, delivery id ``stream:key:updated_at``), so a change seen by both is handled
once. The cursor becomes ``run start - overlap`` only when the run succeeds; while the daemon is down
it simply stays put, so the first run after a restart covers the downtime. Runs are serialised across
processes by an advisory lock and scheduled from the shared ``poll_cursors`` row.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
import time
from typing import TYPE_CHECKING

import structlog

from daemon.db.database import CONNECTION_ERRORS
from daemon.pollers.cursors import Claim, PollCursor
from daemon.pollers.stream import Stream

if TYPE_CHECKING:
    import asyncpg

    from daemon.webhooks.inbox import InboxStore

log = structlog.get_logger()  # lazy: follows configure_logging() done after import


class RunOutcome(enum.Enum):
    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not due: this or another process ran it less than an interval ago
    BUSY = "busy"  # another process is running it right now


class Poller:
    def __init__(
        self,
        stream: Stream,
        pool: asyncpg.Pool,
        inbox: InboxStore,
        *,
        overlap_s: float = 30.0,
        initial_lookback_s: float = 24 * 3600.0,
        debounce_s: float = 10.0,
        retry_base_s: float = 5.0,
        run_slots: asyncio.Semaphore | None = None,
    ) -> None:
        self.stream = stream
        # shared by the program's pollers: a run holds a lock connection and stores through another,
        # so bounding concurrent runs bounds the pool connections polling can take
        self._run_slots = run_slots or asyncio.Semaphore(1)
        self._cursor = PollCursor(pool, stream.connection, stream.name)
        self._inbox = inbox
        self._overlap_s = overlap_s
        self._initial_lookback = dt.timedelta(seconds=initial_lookback_s)
        self._debounce_s = debounce_s
        self._retry_base_s = retry_base_s
        self._triggered = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._log = log.bind(connection=stream.connection, stream=stream.name)

    def trigger(self) -> None:
        """Run soon, ahead of schedule; triggers within the debounce time collapse into one run."""
        self._triggered.set()

    def start(self) -> asyncio.Task:
        self._task = asyncio.create_task(self._loop(), name=f"poller:{self.stream.connection}/{self.stream.name}")
        return self._task

    async def stop(self) -> None:
        """Abandon a run in progress: its cursor was not advanced, so the next run reads the window again."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run_once(self, *, force: bool = False) -> RunOutcome:
        async with self._run_slots, self._cursor.locked() as held:
            if not held:
                return RunOutcome.BUSY
            claim = await self._cursor.claim(force=force)
            if claim is None:
                return RunOutcome.SKIPPED
            return await self._run(claim)

    async def _run(self, claim: Claim) -> RunOutcome:
        stream = self.stream
        since = claim.cursor_at or claim.started - self._initial_lookback
        window = {"since": since.isoformat(), "until": claim.started.isoformat()}
        clock = time.monotonic()
        seen = stored = 0
        try:
            async for item in stream.fetch(since, claim.started):
                seen += 1
                inbox_id = await self._inbox.store(
                    source="poll",
                    connection=stream.connection,
                    delivery_id=f"{stream.name}:{item.key}:{item.updated_at.isoformat()}",
                    topic=item.topic,
                    body=json.dumps(item.body).encode(),
                    headers={},
                )
                stored += inbox_id is not None
        except Exception as exc:  # noqa: BLE001 - any failure of a run is retried; the cursor stays
            reason = f"{type(exc).__name__}: {exc}"
            await self._cursor.fail(reason, retry_base_s=self._retry_base_s, interval_s=stream.interval_s)
            self._log.warning("poll.failed", reason=reason, items=seen, **window)
            return RunOutcome.FAILED
        await self._cursor.succeed(claim, overlap_s=self._overlap_s, interval_s=stream.interval_s, items=seen)
        ms = round((time.monotonic() - clock) * 1000)
        self._log.info("poll.completed", items=seen, new=stored, ms=ms, **window)
        return RunOutcome.COMPLETED

    async def _loop(self) -> None:
        force = False
        while True:
            try:
                outcome = await self.run_once(force=force)
                delay = await self._cursor.due_in()
            except CONNECTION_ERRORS as exc:
                self._log.warning("poll.failed", reason=f"database unavailable: {type(exc).__name__}: {exc}")
                outcome, delay = RunOutcome.FAILED, self._retry_base_s
            if outcome is RunOutcome.BUSY:
                delay = min(self.stream.interval_s, self._retry_base_s)
            force = await self._sleep(max(delay, 0.0))

    async def _sleep(self, delay: float) -> bool:
        """Wait until due or triggered; returns True when triggered (then the run ignores the schedule)."""
        try:
            await asyncio.wait_for(self._triggered.wait(), delay)
        except TimeoutError:
            return False
        await asyncio.sleep(self._debounce_s)
        self._triggered.clear()
        return True
