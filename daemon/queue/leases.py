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

SCAN_WINDOW = 200  # due jobs looked at per claim; enough for the per-connection ranking to find others

_CLAIM = """
WITH due AS (
    SELECT id, connection, run_at FROM jobs
    WHERE state = 'pending' AND run_at <= now()
      AND (connection IS NULL OR connection <> ALL($4::text[]))
    ORDER BY run_at, id
    LIMIT $8
), ranked AS (
    SELECT due.id, due.connection,
           row_number() OVER (PARTITION BY due.connection ORDER BY due.run_at, due.id) AS nth,
           coalesce(room.slots, $7) AS slots
    FROM due LEFT JOIN unnest($5::text[], $6::int[]) AS room(connection, slots)
         ON room.connection = due.connection
), picked AS (
    SELECT j.id FROM jobs j JOIN ranked r ON r.id = j.id
    WHERE (r.connection IS NULL OR r.nth <= r.slots) AND j.state = 'pending' AND j.run_at <= now()
    ORDER BY j.run_at, j.id
    LIMIT $3
    FOR UPDATE OF j SKIP LOCKED
)
UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = $1,
                lease_until = now() + make_interval(secs => $2), updated_at = now()
FROM picked WHERE jobs.id = picked.id
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

_NEXT_DUE = """
SELECT
  (SELECT extract(epoch FROM min(run_at) - now())::float8 FROM jobs
   WHERE state = 'pending' AND (connection IS NULL OR connection <> ALL($2::text[]))) AS pending_in,
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
    ) -> list[Job]:
        """Up to ``limit`` due jobs, oldest first, skipping ``full`` connections and taking at most
        ``room[c]`` (default ``per_connection``) jobs of connection ``c``. Jobs without one are not capped."""
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
            SCAN_WINDOW,
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

    async def next_due(self, worker_id: str, excluded: Collection[str]) -> tuple[float | None, float | None]:
        """Seconds until the next pending job outside ``excluded`` is due and until the next lease held
        by another worker expires (negative: already); None when there is none."""
        record = await self._database.pool.fetchrow(_NEXT_DUE, worker_id, list(excluded))
        return record["pending_in"], record["expiry_in"]

    async def _requeue_held(self, job: Job, **changes) -> bool:
        async with self._database.pool.acquire() as conn, conn.transaction():
            held = await conn.fetchval(f"SELECT id FROM jobs WHERE {_FENCE} FOR UPDATE", *_fenced(job))
            if held is None:
                return False
            await to_pending(conn, [held], **changes)
        return True
