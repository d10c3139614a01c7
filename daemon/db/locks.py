"""Session advisory locks keyed by text, for work that must not run twice at once across processes.

The lock lives on a pooled connection held for the block: if the process dies, the server drops the
connection and with it the lock, so a crash never leaves work locked.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

import asyncpg

POLLER_LOCKS = 7_140_002
ORDER_LOCKS = 7_140_003
CUSTOMER_LOCKS = 7_140_004


@asynccontextmanager
async def try_session_lock(pool: asyncpg.Pool, namespace: int, key: str) -> AsyncIterator[bool]:
    """Hold the lock for the block; yields False (and holds nothing) when another session has it."""
    async with pool.acquire() as conn:
        held = await conn.fetchval("SELECT pg_try_advisory_lock($1, hashtext($2))", namespace, key)
        try:
            yield held
        finally:
            if held:
                await conn.execute("SELECT pg_advisory_unlock($1, hashtext($2))", namespace, key)
