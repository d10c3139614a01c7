"""The persisted side of one stream's polling: its advisory lock, the shared schedule and the cursor.

All times come from the database clock, so several daemons on one database agree on what is due
and the window a run reads is exactly the one the cursor describes.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

import asyncpg

from daemon.db.locks import POLLER_LOCKS, try_session_lock


@dataclass(frozen=True)
class Claim:
    """A run that may go ahead: it started at ``started``; ``cursor_at`` is None on the very first run."""

    started: dt.datetime
    cursor_at: dt.datetime | None


class PollCursor:
    """The ``poll_cursors`` row of one (connection, stream)."""

    def __init__(self, pool: asyncpg.Pool, connection: str, stream: str) -> None:
        self._pool = pool
        self._key = (connection, stream)
        self._lock_key = f"{connection}/{stream}"

    def locked(self) -> AbstractAsyncContextManager[bool]:
        """Hold the stream's advisory lock for the block; yields False when another process holds it."""
        return try_session_lock(self._pool, POLLER_LOCKS, self._lock_key)

    async def claim(self, *, force: bool) -> Claim | None:
        """Start a run if the stream is due (or ``force``); None when it ran less than an interval ago."""
        row = await self._pool.fetchrow(
            """INSERT INTO poll_cursors AS c (connection, stream, last_run_at) VALUES ($1, $2, now())
               ON CONFLICT (connection, stream) DO UPDATE SET last_run_at = now()
                   WHERE $3 OR c.next_run_at IS NULL OR c.next_run_at <= now()
               RETURNING c.last_run_at, c.cursor_at""",
            *self._key,
            force,
        )
        return None if row is None else Claim(row["last_run_at"], row["cursor_at"])

    async def succeed(self, claim: Claim, *, overlap_s: float, interval_s: float, items: int) -> None:
        """Advance the cursor to the run's start minus the overlap, never to "now after the run"."""
        await self._pool.execute(
            """UPDATE poll_cursors
                  SET cursor_at = $3::timestamptz - make_interval(secs => $4),
                      next_run_at = $3::timestamptz + make_interval(secs => $5),
                      last_success_at = now(), last_error = NULL, failures = 0, items_last_run = $6
                WHERE connection = $1 AND stream = $2""",
            *self._key,
            claim.started,
            overlap_s,
            interval_s,
            items,
        )

    async def fail(self, error: str, *, retry_base_s: float, interval_s: float) -> None:
        """Keep the cursor, record the error, and schedule a retry that backs off up to the interval."""
        await self._pool.execute(
            """UPDATE poll_cursors
                  SET last_error = $3, failures = failures + 1,
                      next_run_at = now() + make_interval(secs => least($5, $4 * power(2, failures)))
                WHERE connection = $1 AND stream = $2""",
            *self._key,
            error,
            retry_base_s,
            interval_s,
        )

    async def due_in(self) -> float:
        """Seconds until the stream is due again (0 or less: due now)."""
        value = await self._pool.fetchval(
            """SELECT extract(epoch FROM next_run_at - now())::float8
                 FROM poll_cursors WHERE connection = $1 AND stream = $2""",
            *self._key,
        )
        return value or 0.0
