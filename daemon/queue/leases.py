"""The worker side of the queue: claim under a lease, renew it, and record how each run ended.

Every outcome write is fenced on (state, locked_by, attempts) as returned by the claim, so a worker whose
lease expired (and whose job another worker has since claimed) can no longer change that job.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from daemon.db.database import Database
from daemon.queue.model import Job
from daemon.queue.requeue import to_pending
from daemon.queue.retry import gave_up

# The connections with pending jobs are found by a loose index scan (one index probe each); each one
# that is not full gives its oldest due jobs, up to its room; jobs without a connection are not capped.
# Each part locks its rows in its own index scan (FOR UPDATE SKIP LOCKED under its LIMIT, rechecked on
# the newest version), so no plan ever re-reads the pending backlog to find the candidates again: the
# oldest of them are updated by primary key, and the few locked but not taken are free at commit.
_PENDING_CONNECTIONS = """
WITH RECURSIVE connections(connection) AS (
    SELECT min(connection) FROM jobs WHERE state = 'pending'
    UNION ALL
    SELECT (SELECT min(j.connection) FROM jobs j WHERE j.state = 'pending' AND j.connection > c.connection)
    FROM connections c WHERE c.connection IS NOT NULL
)"""

_CLAIM = f"""
{_PENDING_CONNECTIONS}, remote AS (
    SELECT due.id, due.run_at FROM connections c
    CROSS JOIN LATERAL (
        SELECT j.id, j.run_at FROM jobs j
        WHERE j.state = 'pending' AND j.connection = c.connection AND j.run_at <= now()
        ORDER BY j.run_at, j.id
        LIMIT coalesce((SELECT r.slots FROM unnest($5::text[], $6::int[]) AS r(connection, slots)
                        WHERE r.connection = c.connection), $7)
        FOR UPDATE OF j SKIP LOCKED
    ) due
    WHERE c.connection IS NOT NULL AND c.connection <> ALL($4::text[])
), local AS (
    SELECT id, run_at FROM jobs WHERE state = 'pending' AND connection IS NULL AND run_at <= now()
    ORDER BY connection, run_at, id LIMIT $8  -- the index's order: the planner then walks only the NULLs
    FOR UPDATE SKIP LOCKED
), picked AS (
    SELECT id FROM (SELECT * FROM remote UNION ALL SELECT * FROM local) AS due ORDER BY run_at, id LIMIT $3
)
UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = $1,
                lease_until = now() + make_interval(secs => $2), updated_at = now()
WHERE jobs.id = ANY(ARRAY(SELECT id FROM picked))
RETURNING jobs.*
"""

_FENCE = "id = $1 AND state = 'running' AND locked_by IS NOT DISTINCT FROM $2 AND attempts = $3"

_COMPLETE = """
UPDATE jobs SET state = 'done', finished_at = now(), updated_at = now(), lease_until = NULL, locked_by = NULL
FROM unnest($1::bigint[], $2::text[], $3::int[]) AS claim(id, locked_by, attempts)
WHERE jobs.id = claim.id AND jobs.state = 'running'
  AND jobs.locked_by IS NOT DISTINCT FROM claim.locked_by AND jobs.attempts = claim.attempts
RETURNING jobs.id
"""

_PARK = f"""
UPDATE jobs SET state = 'failed', last_error = $4, blocked_on = $5, finished_at = now(), updated_at = now(),
                lease_until = NULL, locked_by = NULL
WHERE {_FENCE}
"""

_NEXT_DUE = f"""
{_PENDING_CONNECTIONS}
SELECT
  (SELECT extract(epoch FROM min(due) - now())::float8 FROM (
       SELECT (SELECT min(j.run_at) FROM jobs j WHERE j.state = 'pending' AND j.connection = c.connection) AS due
       FROM connections c WHERE $4 AND c.connection IS NOT NULL AND c.connection <> ALL($2::text[])
       UNION ALL
       SELECT min(run_at) FROM jobs WHERE state = 'pending' AND connection IS NULL AND $3
   ) AS first) AS pending_in,
  (SELECT extract(epoch FROM min(lease_until) - now())::float8 FROM jobs
   WHERE state = 'running' AND locked_by IS DISTINCT FROM $1) AS expiry_in
"""


def _fenced(job: Job) -> tuple[int, str | None, int]:
    return job.id, job.locked_by, job.attempts


class LeaseStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    async def claim(
        self,
        worker_id: str,
        limit: int,
        lease_s: float,
        *,
        full: Collection[str] = (),
        room: Mapping[str, int] | None = None,
        per_connection: int,
        local_room: int | None = None,
    ) -> list[Job]:
        """Up to ``limit`` due jobs, oldest first, skipping ``full`` connections and taking at most
        ``room[c]`` (default ``per_connection``) jobs of connection ``c``, and ``local_room`` jobs
        without a connection (default: no cap but ``limit``)."""
        room = room or {}
        records = await self._database.pool.fetch(
            _CLAIM,
            worker_id,
            float(lease_s),
            limit,
            list(full),
            list(room),
            list(room.values()),
            per_connection,
            limit if local_room is None else max(0, min(local_room, limit)),
        )
        return [Job.from_record(r) for r in records]

    async def renew(self, worker_id: str, ids: Collection[int], lease_s: float) -> set[int]:
        """Extend the leases still held; returns those ids (a missing one was lost to expiry)."""
        records = await self._database.pool.fetch(
            """UPDATE jobs SET lease_until = now() + make_interval(secs => $3)
               WHERE id = ANY($1::bigint[]) AND state = 'running' AND locked_by = $2 RETURNING id""",
            list(ids),
            worker_id,
            float(lease_s),
        )
        return {r["id"] for r in records}

    async def complete(self, jobs: Sequence[Job]) -> set[int]:
        """Mark jobs done in one statement; returns the ids whose claim still held."""
        records = await self._database.pool.fetch(
            _COMPLETE, [j.id for j in jobs], [j.locked_by for j in jobs], [j.attempts for j in jobs]
        )
        return {r["id"] for r in records}

    async def park(self, job: Job, reason: str, blocked_on: str | None = None) -> bool:
        return await self._database.pool.execute(_PARK, *_fenced(job), reason, blocked_on) == "UPDATE 1"

    async def retry_later(self, job: Job, delay_s: float, reason: str) -> bool:
        return await self._requeue_held(job, delay_s=delay_s, error=reason)

    async def release(self, job: Job) -> bool:
        """Hand back a job that was cancelled at shutdown; the attempt does not count."""
        return await self._requeue_held(job, attempts_delta=-1)

    async def requeue_expired(self) -> list[Job]:
        """Jobs whose worker stopped renewing its lease (crashed, partitioned) go back to pending,
        or to failed once their attempts are used up. Returns them as they were before."""
        async with self._database.pool.acquire() as conn, conn.transaction():
            expired = [
                Job.from_record(r)
                for r in await conn.fetch(
                    """SELECT * FROM jobs WHERE state = 'running' AND lease_until < now()
                       ORDER BY id FOR UPDATE SKIP LOCKED"""
                )
            ]
            for job in expired:
                if job.attempts >= job.max_attempts:
                    await conn.execute(_PARK, *_fenced(job), gave_up(job.attempts, "lease expired"), None)
            await to_pending(
                conn, [job.id for job in expired if job.attempts < job.max_attempts], error="lease expired"
            )
        return expired

    async def next_due(
        self, worker_id: str, excluded: Collection[str], *, local: bool = True, remote: bool = True
    ) -> tuple[float | None, float | None]:
        """Seconds until the next pending job is due, of a connection outside ``excluded`` (unless
        ``remote`` is False) or without a connection (unless ``local`` is False), and until the next
        lease held by another worker expires (negative: already); None when there is none."""
        record = await self._database.pool.fetchrow(_NEXT_DUE, worker_id, list(excluded), local, remote)
        return record["pending_in"], record["expiry_in"]

    async def _requeue_held(self, job: Job, **changes) -> bool:
        async with self._database.pool.acquire() as conn, conn.transaction():
            held = await conn.fetchval(f"SELECT id FROM jobs WHERE {_FENCE} FOR UPDATE", *_fenced(job))
            if held is None:
                return False
            await to_pending(conn, [held], **changes)
        return True
