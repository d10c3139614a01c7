"""Moving jobs back to ``pending`` without breaking the one-pending-job-per-dedupe-key rule.

Every path back to pending (a retry, an expired or released lease, an operator retry, a released block)
goes through :func:`to_pending`. A job whose key already has a pending twin is ``merged`` instead: the
twin does the same work with newer data. Among several candidates with one key the newest is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

MERGED = "merged into the pending job with the same dedupe key"

_TO_PENDING = """
WITH target AS (
    SELECT id, dedupe_key FROM jobs WHERE id = ANY($1::bigint[])
), kept AS (
    SELECT DISTINCT ON (t.dedupe_key, CASE WHEN t.dedupe_key IS NULL THEN t.id END) t.id
    FROM target t
    WHERE t.dedupe_key IS NULL
       OR NOT EXISTS (SELECT 1 FROM jobs p WHERE p.dedupe_key = t.dedupe_key AND p.state = 'pending')
    ORDER BY t.dedupe_key, CASE WHEN t.dedupe_key IS NULL THEN t.id END, t.id DESC
)
UPDATE jobs j SET
    state       = CASE WHEN k.id IS NULL THEN 'merged' ELSE 'pending' END,
    finished_at = CASE WHEN k.id IS NULL THEN now() END,
    last_error  = CASE WHEN k.id IS NULL THEN $5 ELSE coalesce($4, j.last_error) END,
    run_at      = now() + make_interval(secs => $2),
    attempts    = CASE WHEN $3::int IS NULL THEN 0 ELSE greatest(0, j.attempts + $3) END,
    blocked_on  = NULL,
    lease_until = NULL,
    locked_by   = NULL,
    updated_at  = now()
FROM target t LEFT JOIN kept k ON k.id = t.id
WHERE j.id = t.id
"""


async def to_pending(
    conn: asyncpg.Connection,
    ids: Sequence[int],
    *,
    delay_s: float = 0.0,
    attempts_delta: int | None = 0,
    error: str | None = None,
) -> None:
    """Requeue ``ids`` (already chosen and locked by the caller's transaction).

    ``attempts_delta`` None resets the count (an operator's fresh start); -1 un-counts an attempt that
    never really ran (a lease released at shutdown). A job enqueued with the same key by a concurrent
    transaction can still collide; the statement is then simply run again, under a savepoint.
    """
    if not ids:
        return
    for _ in range(3):
        try:
            async with conn.transaction():
                await conn.execute(_TO_PENDING, list(ids), delay_s, attempts_delta, error, MERGED)
            return
        except asyncpg.UniqueViolationError:
            continue
    raise RuntimeError(f"could not requeue jobs {list(ids)}: dedupe key keeps colliding")
