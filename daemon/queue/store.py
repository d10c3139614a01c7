"""The producer and operator side of the queue: enqueue, inspect, retry, release, purge.

``enqueue`` takes the caller's connection so the job commits or rolls back with the state change that
caused it (an outbox without a second table). The worker side lives in :class:`LeaseStore`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from daemon.db.database import Database
from daemon.queue.leases import LeaseStore
from daemon.queue.model import STATES, Job
from daemon.queue.requeue import to_pending

DEFAULT_MAX_ATTEMPTS = 12

_ENQUEUE = """
INSERT INTO jobs (kind, connection, payload, dedupe_key, run_at, max_attempts)
VALUES ($1, $2, $3::jsonb, $4, now() + make_interval(secs => $5), $6)
ON CONFLICT (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL DO NOTHING
RETURNING id
"""

# A key whose pending job is already committed is skipped before the insert: an insert that meets a
# pending key only through the unique index waits for the transaction holding it, however long.
_ENQUEUE_KEYED = """
INSERT INTO jobs (kind, connection, payload, dedupe_key, run_at, max_attempts)
SELECT $1, k.connection, k.payload::jsonb, k.dedupe_key, now() + make_interval(secs => $4), $5
FROM unnest($2::text[], $3::text[], $6::text[]) AS k(connection, dedupe_key, payload)
WHERE NOT EXISTS (SELECT 1 FROM jobs p WHERE p.dedupe_key = k.dedupe_key AND p.state = 'pending')
ORDER BY k.dedupe_key
ON CONFLICT (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL DO NOTHING
"""


@dataclass(frozen=True)
class KeyedJob:
    """One of several jobs of a kind queued together, each under its own dedupe key."""

    dedupe_key: str
    connection: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


class JobQueue:
    def __init__(self, database: Database) -> None:
        self._database = database
        self.leases = LeaseStore(database)

    async def enqueue(
        self,
        kind: str,
        payload: dict[str, Any] | None = None,
        *,
        connection: str | None = None,
        dedupe_key: str | None = None,
        delay_s: float = 0.0,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        conn: asyncpg.Connection | None = None,
    ) -> int | None:
        """The new job's id, or None when a pending job with ``dedupe_key`` already covers it."""
        args = (kind, connection, json.dumps(payload or {}), dedupe_key, float(delay_s), max_attempts)
        if conn is not None:
            return await conn.fetchval(_ENQUEUE, *args)
        return await self._database.pool.fetchval(_ENQUEUE, *args)

    async def enqueue_keyed(
        self,
        conn: asyncpg.Connection,
        kind: str,
        jobs: Sequence[KeyedJob],
        *,
        delay_s: float = 0.0,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        """Several jobs of ``kind`` in one statement, in the caller's transaction; a key that already
        has a pending job gets no second one (as with ``enqueue``'s ``dedupe_key``)."""
        if not jobs:
            return
        await conn.execute(
            _ENQUEUE_KEYED,
            kind,
            [job.connection for job in jobs],
            [job.dedupe_key for job in jobs],
            float(delay_s),
            max_attempts,
            [json.dumps(job.payload) for job in jobs],
        )

    async def get(self, job_id: int) -> Job | None:
        record = await self._database.pool.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)
        return None if record is None else Job.from_record(record)

    async def list(self, *, state: str | None = None, kind: str | None = None, limit: int = 50) -> list[Job]:
        """Newest first, optionally filtered."""
        if state is not None and state not in STATES:
            raise ValueError(f"unknown state {state!r}; one of {', '.join(STATES)}")
        records = await self._database.pool.fetch(
            """SELECT * FROM jobs
               WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)
               ORDER BY id DESC LIMIT $3""",
            state,
            kind,
            limit,
        )
        return [Job.from_record(r) for r in records]

    async def depth_by_state(self) -> dict[str, int]:
        """Every state with its count, zeros included, for health and metrics."""
        rows = await self._database.pool.fetch("SELECT state, count(*) AS n FROM jobs GROUP BY state")
        return {state: 0 for state in STATES} | {r["state"]: r["n"] for r in rows}

    async def retry(self, job_id: int) -> bool:
        """Give a failed job a fresh start now; False when it is not failed."""
        return await self._requeue_failed("id = $1", job_id) == 1

    async def retry_all_failed(self) -> int:
        return await self._requeue_failed("TRUE")

    async def release_blocked(self, key: str, conn: asyncpg.Connection | None = None) -> int:
        """Requeue the failed jobs waiting for ``key`` (e.g. ``sku:ABC`` once that product exists)."""
        return await self._requeue_failed("blocked_on = $1", key, conn=conn)

    async def purge_done(self, older_than_s: float) -> int:
        """Delete finished (done or merged) jobs older than this; failed jobs stay for the operator."""
        status = await self._database.pool.execute(
            """DELETE FROM jobs WHERE state IN ('done', 'merged')
               AND finished_at < now() - make_interval(secs => $1)""",
            float(older_than_s),
        )
        return int(status.split()[-1])

    async def _requeue_failed(self, where: str, *args: Any, conn: asyncpg.Connection | None = None) -> int:
        if conn is None:
            async with self._database.pool.acquire() as own:
                return await self._requeue_failed(where, *args, conn=own)
        async with conn.transaction():
            ids = await conn.fetch(f"SELECT id FROM jobs WHERE state = 'failed' AND {where} FOR UPDATE", *args)
            await to_pending(conn, [r["id"] for r in ids], attempts_delta=None)
        return len(ids)
