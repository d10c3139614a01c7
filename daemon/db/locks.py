"""Session advisory locks keyed by text, for work that must not run twice at once across processes.

The lock lives on a pooled connection held for the block: if the process dies, the server drops the
connection and with it the lock, so a crash never leaves work locked. The pool does not reset session
state on release (see :mod:`daemon.db.database`), so a block whose lock or setting could not be undone
(cancelled or failed mid-way) terminates its connection instead of handing it back still locked.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

import asyncpg

POLLER_LOCKS = 7_140_002
ORDER_LOCKS = 7_140_003
CUSTOMER_LOCKS = 7_140_004
INITIAL_SYNC_LOCKS = 7_140_010  # one live initial sync per shop
STOCK_LOCKS = 7_140_050  # one stock push per shop
STOCK_MARK_LOCKS = 7_140_051  # transaction locks: marking transactions (shared) vs a push's last look (exclusive)
ONGOING_LOCKS = 7_140_070  # one Ongoing document or delivery at a time


@asynccontextmanager
async def try_session_lock(pool: asyncpg.Pool, namespace: int, key: str) -> AsyncIterator[bool]:
    """Hold the lock for the block; yields False (and holds nothing) when another session has it."""
    async with session_lock(pool, namespace, key, wait_s=0.0) as held:
        yield held


@asynccontextmanager
async def session_lock(pool: asyncpg.Pool, namespace: int, key: str, *, wait_s: float) -> AsyncIterator[bool]:
    """Like :func:`try_session_lock`, but waits up to ``wait_s`` for the holder to finish first.

    For short critical sections (one order's transfer): waiting briefly is cheaper than a retry. A lock
    nobody holds costs one round trip to take and one to give back.
    """
    async with pool.acquire() as conn:
        restored = False
        try:
            held = await conn.fetchval("SELECT pg_try_advisory_lock($1, hashtext($2))", namespace, key)
            if not held and wait_s > 0:
                held = await _wait_for(conn, namespace, key, wait_s)
            try:
                yield held
            finally:
                if held:
                    await conn.execute("SELECT pg_advisory_unlock($1, hashtext($2))", namespace, key)
                restored = True
        finally:
            if not restored:
                conn.terminate()


async def _wait_for(conn: asyncpg.Connection, namespace: int, key: str, wait_s: float) -> bool:
    await conn.execute("SELECT set_config('lock_timeout', $1, false)", f"{int(wait_s * 1000)}ms")
    try:
        await conn.execute("SELECT pg_advisory_lock($1, hashtext($2))", namespace, key)
        return True
    except asyncpg.exceptions.LockNotAvailableError:
        return False
    finally:
        await conn.execute("RESET lock_timeout")
